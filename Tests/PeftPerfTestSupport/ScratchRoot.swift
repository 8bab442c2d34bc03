#if canImport(Glibc)
    import Glibc
#endif
public import Foundation

/// Scratch directories for tests that cannot hold a ``TemporaryDirectory``
/// for their whole run (a path handed to a child process or to code that
/// outlives the call).
///
/// They live under one root per test process,
/// `$TMPDIR/peft-perf-tests-<pid>`, deleted when the process exits. A root
/// left behind by a killed process is deleted by the next run.
public enum ScratchRoot {
    /// A new, empty directory.
    public static func directory() throws -> URL {
        let url = try root.get().appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static let prefix = "peft-perf-tests-"

    private static var rootPath: String {
        URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(prefix)\(getpid())").path
    }

    private static let root: Result<URL, any Error> = Result {
        let base = URL(fileURLWithPath: NSTemporaryDirectory())
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        for name in names where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid() else { continue }
            // kill(pid, 0) fails with ESRCH when no such process exists.
            if kill(pid, 0) != 0, errno == ESRCH {
                TemporaryDirectory.removeTree(base.appendingPathComponent(name).path)
            }
        }
        let url = URL(fileURLWithPath: rootPath)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { TemporaryDirectory.removeTree(ScratchRoot.rootPath) }
        return url
    }
}
