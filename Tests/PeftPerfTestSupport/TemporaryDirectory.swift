#if canImport(Glibc)
    import Glibc
#endif

/// A temporary directory removed when the value is deinitialized.
public final class TemporaryDirectory {
    public let path: String

    public init() throws {
        var template = Array("/tmp/peft-perf-test-XXXXXX".utf8CString)
        let result = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let result else { throw TestSupportError("mkdtemp failed: errno \(errno)") }
        self.path = String(cString: result)
    }

    public func file(_ name: String) -> String { self.path + "/" + name }

    deinit {
        Self.removeTree(self.path)
    }

    /// Deletes `path` and everything below it, restoring permissions a test
    /// may have removed first.
    public static func removeTree(_ path: String) {
        Self.run("/bin/chmod", ["-R", "u+rwx", path])
        Self.run("/bin/rm", ["-rf", path])
    }

    /// Runs a program and returns its exit status.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String]) -> Int32 {
        var pid = pid_t()
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, program, nil, nil, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return (status >> 8) & 0xFF
    }
}

/// A failure in a test's own set-up.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
