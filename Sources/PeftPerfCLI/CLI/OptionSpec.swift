/// One option in the command table: its spelling, its value and its help.
///
/// The same record drives parsing, `--help`, and the generated man page
/// OPTIONS entries and shell completions (`peft-perf __generate`), so they
/// cannot drift apart.
struct OptionSpec: Sendable {
    /// The long name without dashes, such as `timeout`.
    let long: String
    /// The short letter, such as `q` for `-q`.
    let short: Character?
    /// The value placeholder shown in help (`DURATION`), or nil for a flag.
    let valueName: String?
    /// How the value is validated and completed.
    let kind: ValueKind?
    /// Whether every occurrence is kept (`--url a --url b`). Otherwise the
    /// last occurrence wins.
    let repeatable: Bool
    /// One line of help, 79 columns or less once indented.
    let help: String
    /// The default, written as a value of `kind` would be; the numeric
    /// accessors of ``ParsedArguments`` fall back to it.
    let defaultValue: String?
    /// What help shows as the default when it depends on the context (the
    /// cores, whether `--db` is given); nil shows ``defaultValue``.
    let defaultDescription: String?

    /// The man page's text for the option, in roff, where it says more than
    /// ``help`` (the choices spelled out, a paragraph of detail); nil makes
    /// the man page use ``help``. The default and the range are added after
    /// it either way.
    let manHelp: String?

    /// The default as help shows it.
    var shownDefault: String? { self.defaultDescription ?? self.defaultValue }

    /// A flag that takes no value.
    static func flag(_ long: String, short: Character? = nil, help: String, manHelp: String? = nil) -> OptionSpec {
        OptionSpec(
            long: long, short: short, valueName: nil, kind: nil, repeatable: false, help: help,
            defaultValue: nil, defaultDescription: nil, manHelp: manHelp)
    }

    /// An option that takes a value.
    static func value(
        _ long: String, short: Character? = nil, _ valueName: String, _ kind: ValueKind,
        repeatable: Bool = false, default defaultValue: String? = nil, defaultDescription: String? = nil,
        help: String, manHelp: String? = nil
    ) -> OptionSpec {
        OptionSpec(
            long: long, short: short, valueName: valueName, kind: kind, repeatable: repeatable,
            help: help, defaultValue: defaultValue, defaultDescription: defaultDescription, manHelp: manHelp)
    }

    var takesValue: Bool { self.valueName != nil }

    /// `-c, --connections N` as shown in help.
    var synopsis: String {
        var text = self.short.map { "-\($0), " } ?? ""
        text += "--\(self.long)"
        if let valueName { text += " \(valueName)" }
        return text
    }
}
