import Foundation
import Testing

/// Runs external tools (python3 with psutil, promtool) for the System and
/// Prometheus suites, which compare against them when they are installed.
enum SystemTestTools {
    typealias Output = ExternalTool.Output

    static func which(_ name: String) -> String? { ExternalTool.which(name) }

    static func run(_ executable: String, _ arguments: [String], input: String = "") throws -> Output {
        try ExternalTool.run(executable, arguments, input: input)
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
        let promtool = try RequiredTool.require("promtool", install: "apt-get install prometheus")
        return try run(promtool, ["check", "metrics"], input: text)
    }
}
