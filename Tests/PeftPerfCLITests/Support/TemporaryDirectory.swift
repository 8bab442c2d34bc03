import Foundation

/// Fresh temporary directories for tests.
///
/// They live under one root per test process,
/// `$TMPDIR/peft-perf-tests-<pid>`, which is deleted when the process exits
/// (permissions a test removed are restored first). A root left behind by a
/// process that was killed is deleted by the next run.
enum TemporaryDirectory {
    static func make() throws -> URL {
        let url = try root.get().appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static let prefix = "peft-perf-tests-"

    private static let root: Result<URL, any Error> = Result {
        let base = URL(fileURLWithPath: NSTemporaryDirectory())
        removeStaleRoots(in: base)
        let url = base.appendingPathComponent("\(prefix)\(getpid())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { TemporaryDirectory.removeTree(TemporaryDirectory.rootPath) }
        return url
    }

    private static var rootPath: String {
        URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(prefix)\(getpid())").path
    }

    /// Deletes the roots of test processes that no longer run.
    private static func removeStaleRoots(in base: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            // kill(pid, 0) fails with ESRCH when no such process exists.
            if kill(pid, 0) != 0, errno == ESRCH { removeTree(base.appendingPathComponent(name).path) }
        }
    }

    private static func removeTree(_ path: String) {
        // chmod first: some tests make directories unreadable or read-only.
        _ = spawn("/bin/chmod", ["-R", "u+rwx", path])
        _ = spawn("/bin/rm", ["-rf", path])
    }

    private static func spawn(_ program: String, _ arguments: [String]) -> Int32 {
        var pid = pid_t()
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, program, nil, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return status
    }
}
