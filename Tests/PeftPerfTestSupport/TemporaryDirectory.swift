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

    /// Runs a program and returns its exit status (-1 when it cannot start).
    @discardableResult
    public static func run(_ program: String, _ arguments: [String]) -> Int32 {
        (try? ExternalTool.run(program, arguments, input: nil, environment: nil))?.status ?? -1
    }
}

/// A failure in a test's own set-up.
public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
