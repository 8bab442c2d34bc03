import PeftPerfCore

/// What a command receives: its options, the shared options, and where to
/// write.
struct CommandContext {
    let command: CommandSpec
    let global: GlobalOptions
    let arguments: ParsedArguments
    let console: Console
    let environment: [String: String]
    let sink: OutputSink

    /// The writer for the output path option `name` (`junit`, `markdown`), or
    /// nil when it was not given. Opened now, so that a bad path fails before
    /// the run; like `--output`, it never replaces what is not a regular file.
    func outputFile(_ name: String) throws -> OutputSink? {
        guard let path = self.arguments.string(name) else { return nil }
        return try OutputSink(path: path, option: name, timeoutSeconds: self.global.timeoutSeconds)
    }

    /// Writes report text (a table, or Prometheus text) to stdout, or to the
    /// `--output` file.
    ///
    /// The renderers escape each field from outside; as the last guard, any
    /// control character but LF that still got through is shown escaped here
    /// (``TerminalText/escapingControls(_:)``), which leaves escaped text and
    /// valid Prometheus text as they are.
    func emit(_ text: String) throws {
        try self.sink.write(TerminalText.escapingControls(text))
    }

    /// Writes `value` as JSON: sorted keys, trailing newline, with its
    /// `schema_version` and the
    /// top-level `source` object that says where its figures come from.
    func emitJSON(_ value: some VersionedReport, source: ReportSource) throws {
        try self.sink.write(try JSONOutput.encode(SourcedReport(report: value, source: source)))
    }
}
