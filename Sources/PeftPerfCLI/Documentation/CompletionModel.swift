/// What the three completion generators read from the command table, in the
/// shape they need it.
struct CompletionModel {
    /// Every command path, groups included, in table order.
    var commands: [CommandSpec] { CommandTable.commands }

    /// The commands that run.
    var leaves: [CommandSpec] { CommandTable.commands.filter { !$0.isGroup } }

    /// The groups, such as `db`.
    var groups: [CommandSpec] { CommandTable.commands.filter(\.isGroup) }

    /// The subcommand words below `path` (the top-level commands for `[]`).
    func children(of path: [String]) -> [String] {
        CommandTable.children(of: path).compactMap(\.path.last)
    }

    /// The `-s` and `--long` spellings of `options`, short first.
    func spellings(_ options: [OptionSpec]) -> [String] {
        options.flatMap { option in
            (option.short.map { ["-\($0)"] } ?? []) + ["--\(option.long)"]
        }
    }

    /// Every option of the table: the global ones, then each command's.
    var allOptions: [OptionSpec] { CommandTable.globalOptions + CommandTable.commands.flatMap(\.options) }

    /// The spellings of every option that takes a value, each once, in table order.
    var valueOptionSpellings: [String] {
        var seen: Set<String> = []
        return self.spellings(self.allOptions.filter(\.takesValue)).filter { seen.insert($0).inserted }
    }

    /// Every format, for a command line with no command yet.
    var allFormats: [String] { OutputFormat.allCases.map(\.rawValue) }

    /// The command that takes other commands' names as its arguments.
    static let helpPath = ["help"]

    /// A short description: `help` with its first letter lower-cased unless
    /// it starts an acronym (`HTTP method`).
    static func lowercasedFirst(_ text: String) -> String {
        let firstWord = text.prefix { $0 != " " }
        guard let first = text.first, first.isUppercase else { return text }
        if firstWord.count > 1, firstWord.allSatisfy({ $0.isUppercase || !$0.isLetter }) { return text }
        return first.lowercased() + String(text.dropFirst())
    }

    /// `text` without a final period.
    static func withoutPeriod(_ text: String) -> String {
        text.hasSuffix(".") ? String(text.dropLast()) : text
    }

    /// Splits `words` into lines of at most `width` characters, joined by
    /// `separator`.
    static func wrap(_ words: [String], width: Int, separator: String = " ") -> [String] {
        var lines: [String] = []
        var line = ""
        for word in words {
            if !line.isEmpty, line.count + separator.count + word.count > width {
                lines.append(line)
                line = word
            } else {
                line += line.isEmpty ? word : separator + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
