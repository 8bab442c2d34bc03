/// One command in the command table.
struct CommandSpec: Sendable {
    /// The words that name it: `["db", "slow"]`. A group such as `["db"]` has
    /// no handler and lists its subcommands.
    let path: [String]
    /// One line shown in command lists and at the top of help.
    let abstract: String
    /// Further paragraphs of help, already wrapped at 79 columns.
    let discussion: String
    let arguments: [ArgumentSpec]
    let options: [OptionSpec]
    /// The `--format` values this command accepts. Empty for groups.
    let formats: [OutputFormat]
    /// Example invocations shown in help, without the `peft-perf ` prefix.
    let examples: [String]
    /// Runs the command; nil for a group.
    let handler: (@Sendable (CommandContext) throws -> ExitStatus)?
    /// The command's typed options, for a command that takes numbers.
    let optionsType: (any CommandOptions.Type)?

    init(
        _ path: [String], abstract: String, discussion: String = "", arguments: [ArgumentSpec] = [],
        options: [OptionSpec] = [], formats: [OutputFormat] = [.table, .json], examples: [String] = [],
        optionsType: (any CommandOptions.Type)? = nil, handler: (@Sendable (CommandContext) throws -> ExitStatus)?
    ) {
        self.path = path
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = arguments
        self.options = options
        self.formats = handler == nil ? [] : formats
        self.examples = examples
        self.handler = handler
        self.optionsType = optionsType
    }

    var name: String { self.path.joined(separator: " ") }
    var isGroup: Bool { self.handler == nil }
}
