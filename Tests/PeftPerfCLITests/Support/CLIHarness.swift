import Foundation
import Synchronization

/// Runs the built `peft-perf` binary and captures what it did.
///
/// End-to-end tests go through the real executable, as swift-argument-parser's
/// `AssertExecuteCommand` does, so that exit codes and the split between
/// stdout and stderr are tested for real.
enum CLIHarness {
    /// Its stdout, stderr and exit status (or signal).
    typealias Result = ExternalTool.Output

    /// The `peft-perf` binary next to the test bundle.
    static var binaryURL: URL {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        // On macOS the test binary sits inside a .xctest bundle.
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("peft-perf").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("peft-perf")
    }

    /// The clean environment every child gets, plus `extra`: `PATH`, and a
    /// `HOME` and `XDG_STATE_HOME` of its own, so that no test reads or writes
    /// the user's real store.
    static func childEnvironment(_ extra: [String: String] = [:]) throws -> [String: String] {
        let home = try ScratchRoot.directory()
        var env: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": home.path,
            "XDG_STATE_HOME": home.appendingPathComponent("state").path,
        ]
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// ``childEnvironment(_:)`` as `KEY=value` C strings for `posix_spawn`,
    /// NULL-terminated; free each with `free`.
    static func childEnvironmentForSpawn(_ extra: [String: String] = [:]) throws -> [UnsafeMutablePointer<CChar>?] {
        try self.childEnvironment(extra).map { strdup("\($0.key)=\($0.value)") } + [nil]
    }

    /// Runs `peft-perf arguments...` with a clean environment plus `environment`.
    ///
    /// The store defaults into a fresh temporary directory so tests never
    /// touch the user's real store, and `NO_COLOR` is unset unless given.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
        timeout: TimeInterval = 60
    ) throws -> Result {
        do {
            return try ExternalTool.run(
                self.binaryURL.path, arguments, input: stdin, environment: try self.childEnvironment(environment),
                timeout: timeout)
        } catch is ExternalTool.TimedOut {
            throw HarnessError.timedOut(arguments)
        }
    }

    enum HarnessError: Error {
        case timedOut([String])
    }
}

/// A `Data` box shared between the reading threads and the test.
final class LockedData: Sendable {
    private let data = Mutex(Data())
    func set(_ d: Data) { self.data.withLock { $0 = d } }
    func get() -> Data { self.data.withLock { $0 } }
}
