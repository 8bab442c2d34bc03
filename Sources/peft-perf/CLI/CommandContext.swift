/// What a command receives: its options, the shared options, and where to
/// write.
struct CommandContext {
    let command: CommandSpec
    let global: GlobalOptions
    let arguments: ParsedArguments
    let console: Console
    let environment: [String: String]
    let sink: OutputSink

    /// Writes report text to stdout, or to the `--output` file.
    func emit(_ text: String) throws {
        try self.sink.write(text)
    }

    /// Writes `value` as JSON: sorted keys, trailing newline.
    func emitJSON(_ value: some Encodable) throws {
        try self.sink.write(try JSONOutput.encode(value))
    }
}
