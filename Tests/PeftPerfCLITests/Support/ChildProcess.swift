import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `peft-perf` process the test keeps a handle on: started now, waited for
/// later, fed through a pipe, or killed.
///
/// ``CLIHarness`` runs one command to its end; the store tests need many at
/// once, stdin written a piece at a time, `kill -9` at a chosen moment, and a
/// wrapper in front of the binary (`prlimit`, `setpriv`). The process itself
/// is a ``RunningProcess``; this adds the binary's path and the clean
/// environment. Output is read from pipes (not files: a file-size limit on
/// the child would apply to them too).
final class ChildProcess: Sendable {
    let arguments: [String]
    private let process: RunningProcess

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
        let command = wrapper + [CLIHarness.binaryURL.path] + arguments
        var env: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory.path,
            "XDG_STATE_HOME": directory.appendingPathComponent("xdg-state").path,
        ]
        for (key, value) in environment { env[key] = value }
        self.process = try RunningProcess(
            command[0], Array(command.dropFirst()), environment: env, input: input == .pipe ? .pipe : .null)
    }

    var pid: Int32 { self.process.pid }

    /// Writes `text` to the child's stdin.
    func write(_ text: String) throws {
        try self.process.write(text)
    }

    /// Closes the child's stdin (end of input).
    func closeInput() {
        self.process.closeInput()
    }

    /// Sends `signal` (SIGINT, SIGTERM) to the child, which may handle it.
    func send(_ signal: Int32) {
        self.process.send(signal)
    }

    /// `kill -9`: no handler, no cleanup, no flush.
    func kill9() {
        self.process.send(SIGKILL)
    }

    /// Waits for the child to end (killing it after `timeout` seconds, which
    /// then throws) and returns what it did.
    @discardableResult
    func wait(timeout: Double = 60) throws -> CLIHarness.Result {
        do {
            return try self.process.wait(timeout: timeout)
        } catch is ExternalTool.TimedOut {
            throw CLIHarness.HarnessError.timedOut(self.arguments)
        }
    }

    /// Runs `peft-perf arguments...` to its end.
    static func run(
        _ arguments: [String], wrapper: [String] = [], directory: URL, timeout: Double = 60
    ) throws -> CLIHarness.Result {
        try ChildProcess(arguments, wrapper: wrapper, directory: directory).wait(timeout: timeout)
    }
}
