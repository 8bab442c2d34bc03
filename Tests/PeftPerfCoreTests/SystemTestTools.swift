import Foundation
import Synchronization

/// Runs external tools (python3 with psutil, promtool) for the System and
/// Prometheus suites, which compare against them when they are installed.
enum SystemTestTools {
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The absolute path of `name` on PATH, or nil.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments`, feeding `input` on stdin.
    static func run(_ executable: String, _ arguments: [String], input: String = "") throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Read both pipes on their own threads so that neither fills up.
        let group = DispatchGroup()
        let captured = Mutex<(out: Data, err: Data)>((Data(), Data()))
        DispatchQueue.global().async(group: group) {
            let data = stdout.fileHandleForReading.readDataToEndOfFile()
            captured.withLock { $0.out = data }
        }
        DispatchQueue.global().async(group: group) {
            let data = stderr.fileHandleForReading.readDataToEndOfFile()
            captured.withLock { $0.err = data }
        }
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        let (outData, errData) = captured.withLock { ($0.out, $0.err) }
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// python3, if it can `import psutil`.
    static let pythonWithPsutil: String? = {
        guard let python = which("python3"),
            let result = try? run(python, ["-c", "import psutil; print(psutil.__version__)"]),
            result.status == 0
        else { return nil }
        return python
    }()

    static let promtool: String? = which("promtool")

    /// `promtool check metrics` on `text`: its combined output and status.
    static func promtoolCheck(_ text: String) throws -> Output? {
        guard let promtool else { return nil }
        return try run(promtool, ["check", "metrics"], input: text)
    }
}
