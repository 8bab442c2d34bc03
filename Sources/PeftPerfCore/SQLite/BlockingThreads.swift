/// Runs blocking work on plain POSIX threads, off Swift's cooperative pool.
enum BlockingThreads {
    /// Runs `body(i)` for i in 0..<count, each on its own thread, and waits for all.
    ///
    /// A thread that cannot be created runs its share on the calling thread.
    static func run(count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        var threads: [PosixThread] = []
        var inline: [Int] = []
        for index in 0..<max(count, 0) {
            do {
                threads.append(try PosixThread(name: "peft-blocking-\(index)") { body(index) })
            } catch {
                inline.append(index)
            }
        }
        for index in inline { body(index) }
        for thread in threads { thread.join() }
    }
}
