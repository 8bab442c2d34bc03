import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `peft-perf` process the test keeps a handle on: started now, waited for
/// later, fed through a pipe, or killed.
///
/// ``CLIHarness`` runs one command to its end; the store tests need many at
/// once, stdin written a piece at a time, `kill -9` at a chosen moment, and a
/// wrapper in front of the binary (`prlimit`, `setpriv`). Output is read from
/// pipes by two threads per child (not files: a file-size limit on the child
/// would apply to them too).
final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` and the file handles are touched only by the
    // thread that owns this object; the semaphore is thread-safe.

    let arguments: [String]
    private let process = Process()
    private let exited = DispatchSemaphore(value: 0)
    private let stdout = LockedData()
    private let stderr = LockedData()
    private let drained = DispatchGroup()
    private let input: Pipe?

    /// How stdin is connected.
    enum Input {
        /// `/dev/null`.
        case none
        /// A pipe the test writes with ``write(_:)`` and closes with ``closeInput()``.
        case pipe
    }

    /// Starts `peft-perf arguments...`, behind `wrapper` (an argv prefix such as
    /// `["/usr/bin/prlimit", "--fsize=0", "--"]`) when given.
    init(
        _ arguments: [String], wrapper: [String] = [], input: Input = .none, directory: URL,
        environment: [String: String] = [:]
    ) throws {
        self.arguments = arguments
        let binary = CLIHarness.binaryURL.path
        if let first = wrapper.first {
            self.process.executableURL = URL(fileURLWithPath: first)
            self.process.arguments = Array(wrapper.dropFirst()) + [binary] + arguments
        } else {
            self.process.executableURL = URL(fileURLWithPath: binary)
            self.process.arguments = arguments
        }
        var env: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory.path,
            "XDG_STATE_HOME": directory.appendingPathComponent("xdg-state").path,
        ]
        for (key, value) in environment { env[key] = value }
        self.process.environment = env
        let out = Pipe()
        let err = Pipe()
        self.process.standardOutput = out
        self.process.standardError = err
        switch input {
        case .none:
            self.input = nil
            self.process.standardInput = FileHandle.nullDevice
        case .pipe:
            // A child that dies (or is killed) while the test writes to it must
            // give EPIPE, not a SIGPIPE that ends the whole test runner.
            signal(SIGPIPE, SIG_IGN)
            let pipe = Pipe()
            self.input = pipe
            self.process.standardInput = pipe
        }
        let exited = self.exited
        self.process.terminationHandler = { _ in exited.signal() }
        try self.process.run()
        // Our copies of the write ends must go, or the readers never see EOF.
        try? out.fileHandleForWriting.close()
        try? err.fileHandleForWriting.close()
        for (pipe, sink) in [(out, self.stdout), (err, self.stderr)] {
            self.drained.enter()
            let group = self.drained
            let handle = pipe.fileHandleForReading
            Thread {
                sink.set(handle.readDataToEndOfFile())
                group.leave()
            }.start()
        }
    }

    var pid: Int32 { self.process.processIdentifier }

    /// Writes `text` to the child's stdin.
    func write(_ text: String) throws {
        try self.input?.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    /// Closes the child's stdin (end of input).
    func closeInput() {
        try? self.input?.fileHandleForWriting.close()
    }

    /// Sends `signal` (SIGINT, SIGTERM) to the child, which may handle it.
    func send(_ signal: Int32) {
        kill(self.process.processIdentifier, signal)
    }

    /// `kill -9`: no handler, no cleanup, no flush.
    func kill9() {
        kill(self.process.processIdentifier, SIGKILL)
    }

    /// Waits for the child to end (killing it after `timeout` seconds, which
    /// then throws) and returns what it did.
    @discardableResult
    func wait(timeout: Double = 60) throws -> CLIHarness.Result {
        if self.exited.wait(timeout: .now() + timeout) == .timedOut {
            self.kill9()
            _ = self.exited.wait(timeout: .now() + 10)
            throw CLIHarness.HarnessError.timedOut(self.arguments)
        }
        // The termination handler runs before Process has stored its status.
        self.process.waitUntilExit()
        self.closeInput()
        // A grandchild holding the pipes open (none is expected) must not hang the test.
        _ = self.drained.wait(timeout: .now() + 30)
        return CLIHarness.Result(
            stdout: String(decoding: self.stdout.get(), as: UTF8.self),
            stderr: String(decoding: self.stderr.get(), as: UTF8.self),
            status: self.process.terminationStatus,
            signaled: self.process.terminationReason == .uncaughtSignal)
    }

    /// Runs `peft-perf arguments...` to its end.
    static func run(
        _ arguments: [String], wrapper: [String] = [], directory: URL, timeout: Double = 60
    ) throws -> CLIHarness.Result {
        try ChildProcess(arguments, wrapper: wrapper, directory: directory).wait(timeout: timeout)
    }
}
