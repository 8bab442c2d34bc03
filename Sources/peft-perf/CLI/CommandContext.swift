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

    /// Writes report text to stdout, or to the `--output` file.
    func emit(_ text: String) throws {
        try self.sink.write(text)
    }

    /// Writes `value` as JSON: sorted keys, trailing newline.
    func emitJSON(_ value: some Encodable) throws {
        try self.sink.write(try JSONOutput.encode(value))
    }
}
