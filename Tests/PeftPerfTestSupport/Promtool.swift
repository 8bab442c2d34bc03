/// Runs `promtool check metrics` on Prometheus text, for tests of the
/// `--format prometheus` output.
public enum Promtool {
    /// Its exit status and everything it printed, or nil when promtool is not
    /// installed (`.ci/deps --test` installs it).
    public static func checkMetrics(_ text: String) throws -> (status: Int32, output: String)? {
        guard let promtool = ExternalTool.which("promtool") else { return nil }
        let result = try ExternalTool.run(promtool, ["check", "metrics"], input: text)
        return (result.status, result.stdout + result.stderr)
    }
}
