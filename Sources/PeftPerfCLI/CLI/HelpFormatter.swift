/// Renders help from the command table, in swift-argument-parser's layout:
/// OVERVIEW, USAGE, ARGUMENTS, OPTIONS, SUBCOMMANDS. Lines stay within 79
/// columns.
struct HelpFormatter {
    static let width = 79
    static let labelWidth = 28

    /// Help for `command`, a group, or the whole tool when nil.
    func help(for command: CommandSpec?) -> String {
        guard let command else { return self.rootHelp() }
        if command.isGroup { return self.groupHelp(command) }
        return self.commandHelp(command)
    }

    func rootHelp() -> String {
        var out = "OVERVIEW: Performance diagnostics for services built on SQLite and HTTP.\n\n"
        out += "USAGE: peft-perf [GLOBAL OPTIONS] <subcommand> [OPTIONS]\n\n"
        out += "GLOBAL OPTIONS:\n"
        out += self.optionLines(CommandTable.globalOptions)
        out += "\nSUBCOMMANDS:\n"
        for command in CommandTable.commands where !command.isGroup {
            out += self.entry(command.name, command.abstract)
        }
        out += "\n  See 'peft-perf help <subcommand>' for detailed help.\n"
        return out
    }

    func groupHelp(_ group: CommandSpec) -> String {
        var out = "OVERVIEW: \(group.abstract)\n\n"
        out += "USAGE: peft-perf \(group.name) <subcommand> [OPTIONS]\n\n"
        out += "SUBCOMMANDS:\n"
        for child in CommandTable.children(of: group.path) {
            out += self.entry(child.path.last ?? "", child.abstract)
        }
        out += "\n  See 'peft-perf help \(group.name) <subcommand>' for detailed help.\n"
        return out
    }

    func commandHelp(_ command: CommandSpec) -> String {
        var out = "OVERVIEW: \(command.abstract)\n\n"
        if !command.discussion.isEmpty {
            out += command.discussion + "\n\n"
        }
        var usage = "USAGE: peft-perf \(command.name)"
        if !command.options.isEmpty { usage += " [OPTIONS]" }
        for argument in command.arguments {
            let name = argument.variadic ? "<\(argument.name)> ..." : "<\(argument.name)>"
            usage += argument.optional ? " [\(name)]" : " \(name)"
        }
        out += usage + "\n\n"
        if !command.arguments.isEmpty {
            out += "ARGUMENTS:\n"
            for argument in command.arguments {
                out += self.entry("<\(argument.name)>", argument.help)
            }
            out += "\n"
        }
        if !command.options.isEmpty {
            out += "OPTIONS:\n" + self.optionLines(command.options) + "\n"
        }
        if command.formats.count > 1 {
            out += "FORMATS: \(command.formats.map(\.rawValue).joined(separator: ", "))\n\n"
        }
        out += "GLOBAL OPTIONS:\n" + self.optionLines(CommandTable.globalOptions)
        if !command.examples.isEmpty {
            out += "\nEXAMPLES:\n"
            for example in command.examples {
                out += "  " + (example.contains("peft-perf") ? example : "peft-perf \(example)") + "\n"
            }
        }
        return out
    }

    private func optionLines(_ options: [OptionSpec]) -> String {
        options.map { option in
            var text = option.help
            if option.repeatable, !text.contains("repeatable") { text += "; repeatable" }
            var notes: [String] = []
            if let value = option.shownDefault { notes.append("default: \(value)") }
            if let range = option.kind?.rangeDescription { notes.append("range: \(range)") }
            if !notes.isEmpty { text += " (\(notes.joined(separator: "; ")))" }
            return self.entry(option.synopsis, text)
        }.joined()
    }

    /// `  label   text`, with the text wrapped into the right-hand column.
    private func entry(_ label: String, _ text: String) -> String {
        let indent = String(repeating: " ", count: Self.labelWidth)
        let words = text.split(separator: " ")
        var lines: [String] = []
        var line = ""
        let columnWidth = Self.width - Self.labelWidth
        for word in words {
            if !line.isEmpty, line.count + 1 + word.count > columnWidth {
                lines.append(line)
                line = String(word)
            } else {
                line += line.isEmpty ? String(word) : " " + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        var head = "  " + label
        var out = ""
        if head.count + 2 > Self.labelWidth {
            out += head + "\n"
            head = ""
        }
        for (i, body) in lines.enumerated() {
            if i == 0 && !head.isEmpty {
                out += head + String(repeating: " ", count: Self.labelWidth - head.count) + body + "\n"
            } else {
                out += indent + body + "\n"
            }
        }
        if lines.isEmpty { out += head + "\n" }
        return out
    }
}
