import Foundation

/// Runs `promtool check metrics` on Prometheus text, for tests of the
/// `--format prometheus` output.
public enum Promtool {
    /// Its exit status and everything it printed, or nil when promtool is not
    /// installed (`.ci/deps --test` installs it).
    public static func checkMetrics(_ text: String) throws -> (status: Int32, output: String)? {
        guard
            let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first(where: {
                FileManager.default.isExecutableFile(atPath: $0)
            })
        else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, said)
    }
}
