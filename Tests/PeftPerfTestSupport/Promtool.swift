import Testing

/// Runs `promtool check metrics` on Prometheus text, for tests of the
/// `--format prometheus` output.
public enum Promtool {
    /// Its exit status and everything it printed. A missing promtool fails
    /// the test under CI and cancels it elsewhere (``RequiredTool``).
    public static func checkMetrics(_ text: String) throws -> (status: Int32, output: String) {
        let promtool = try RequiredTool.require("promtool", install: "apt-get install prometheus")
        let result = try ExternalTool.run(promtool, ["check", "metrics"], input: text)
        return (result.status, result.stdout + result.stderr)
    }
}
