public import Foundation

/// Runs external programs the tests compare against (python3 with psutil,
/// promtool, openssl) to their end, and captures what they print, through
/// ``RunningProcess``.
public enum ExternalTool {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
        /// True when the process died from a signal instead of exiting.
        public let signaled: Bool

        public init(stdout: String, stderr: String, status: Int32, signaled: Bool) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
            self.signaled = signaled
        }
    }

    /// The program ran past its timeout and was killed.
    public struct TimedOut: Error {
        public let arguments: [String]
    }

    /// The absolute path of `name` on PATH, or nil.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments`, feeding `input` on stdin.
    public static func run(_ executable: String, _ arguments: [String], input: String = "") throws -> Output {
        try self.run(executable, arguments, input: Data(input.utf8), environment: nil)
    }

    /// Runs `executable` with `arguments` and `environment` (nil: this
    /// process's), feeding `input` on stdin (a pipe, closed at its end);
    /// kills it and throws ``TimedOut`` if it has not ended within `timeout`
    /// seconds.
    public static func run(
        _ executable: String, _ arguments: [String], input: Data?, environment: [String: String]?,
        timeout: TimeInterval = 60
    ) throws -> Output {
        try RunningProcess(executable, arguments, environment: environment, input: .bytes(input ?? Data()))
            .wait(timeout: timeout)
    }
}
