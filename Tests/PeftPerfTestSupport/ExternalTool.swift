public import Foundation

/// Runs external programs the tests compare against (python3 with psutil,
/// promtool, openssl) and captures what they print.
public enum ExternalTool {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
        /// True when the process died from a signal instead of exiting.
        public let signaled: Bool
    }

    /// The program ran past its timeout and was terminated.
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
    /// process's), feeding `input` on stdin; terminates it and throws
    /// ``TimedOut`` if its output has not ended within `timeout` seconds.
    public static func run(
        _ executable: String, _ arguments: [String], input: Data?, environment: [String: String]?,
        timeout: TimeInterval = 60
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try? stdin.fileHandleForWriting.close()
        // Both pipes are read on their own threads so that a chatty child
        // cannot block; the group's wait orders their writes before the reads.
        let group = DispatchGroup()
        let out = Captured()
        let err = Captured()
        DispatchQueue.global().async(group: group) { out.data = stdout.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err.data = stderr.fileHandleForReading.readDataToEndOfFile() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw TimedOut(arguments: arguments)
        }
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: out.data, as: UTF8.self),
            stderr: String(decoding: err.data, as: UTF8.self), signaled: process.terminationReason == .uncaughtSignal)
    }

    /// Bytes handed from a reading thread to the caller through the group.
    private final class Captured: @unchecked Sendable {
        var data = Data()
    }
}
