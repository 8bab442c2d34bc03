/// Writes the man page's OPTIONS entries from the command table.
///
/// The page's prose stays hand-written in `man/peft-perf.1`; each command's
/// entries, and the global ones, sit between marker comments that
/// ``replacingBlocks(in:)`` rewrites:
///
///     .\" BEGIN GENERATED OPTIONS: db slow
///     .TP
///     ...
///     .\" END GENERATED OPTIONS
///
/// An entry is the option's synopsis, its ``OptionSpec/manHelp`` (else its
/// one-line help, with option names in bold and its value name in italics),
/// then `Default: ...` and `Range: A to B.` lines.
struct ManPageGenerator {
    static let beginCommand = #".\" BEGIN GENERATED OPTIONS: "#
    static let beginGlobal = #".\" BEGIN GENERATED GLOBAL OPTIONS"#
    static let end = #".\" END GENERATED OPTIONS"#

    /// Why the page's markers cannot be filled in.
    struct MarkerError: Error, CustomStringConvertible {
        let description: String
    }

    /// The commands whose entries the page holds: every one that runs.
    var commands: [CommandSpec] { CommandTable.commands.filter { !$0.isGroup } }

    /// Every block with its markers: each command's, then the global one.
    func optionBlocks() -> String {
        self.commands.map(self.block(for:)).joined() + self.globalBlock()
    }

    /// `command`'s entries between their markers.
    func block(for command: CommandSpec) -> String {
        var out = Self.beginCommand + command.name + "\n"
        if command.options.isEmpty {
            out += "This command has no options of its own.\n"
        }
        out += command.options.map(self.entry).joined()
        return out + Self.end + "\n"
    }

    /// The global options' entries between their markers.
    func globalBlock() -> String {
        Self.beginGlobal + "\n" + CommandTable.globalOptions.map(self.entry).joined() + Self.end + "\n"
    }

    /// `page` with every generated block replaced by a fresh one.
    ///
    /// - Throws: ``MarkerError`` when a block names no command, is left open
    ///   or appears twice, or when a command or the globals have no block.
    func replacingBlocks(in page: String) throws -> String {
        var lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let endsWithNewline = lines.last == ""
        if endsWithNewline { lines.removeLast() }
        var out = ""
        var seen: Set<String> = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            let block: String
            let name: String
            if line == Self.beginGlobal {
                name = "(global)"
                block = self.globalBlock()
            } else if line.hasPrefix(Self.beginCommand) {
                name = String(line.dropFirst(Self.beginCommand.count))
                guard let command = self.commands.first(where: { $0.name == name }) else {
                    throw MarkerError(description: "line \(index): '\(name)' is not a command that runs")
                }
                block = self.block(for: command)
            } else {
                out += line + "\n"
                continue
            }
            guard seen.insert(name).inserted else {
                throw MarkerError(description: "line \(index): a second block for '\(name)'")
            }
            let start = index
            while index < lines.count, lines[index] != Self.end {
                if lines[index].hasPrefix(Self.beginCommand) || lines[index] == Self.beginGlobal {
                    throw MarkerError(description: "line \(start): the block for '\(name)' has no end marker")
                }
                index += 1
            }
            guard index < lines.count else {
                throw MarkerError(description: "line \(start): the block for '\(name)' has no end marker")
            }
            index += 1
            out += block
        }
        let missing = (self.commands.map(\.name) + ["(global)"]).filter { !seen.contains($0) }
        if !missing.isEmpty {
            throw MarkerError(
                description: "the man page has no generated block for \(missing.joined(separator: ", ")); "
                    + "add '\(Self.beginCommand)NAME' and '\(Self.end)' lines in its section")
        }
        return endsWithNewline ? out : String(out.dropLast())
    }

    /// One `.TP` entry.
    func entry(_ option: OptionSpec) -> String {
        var out = ".TP\n" + self.tag(option) + "\n"
        if let manHelp = option.manHelp {
            out += manHelp + "\n"
        } else {
            var text = option.help
            if option.repeatable, !text.contains("repeatable") { text += "; repeatable" }
            out += Self.line(self.inline(text + ".", valueName: option.valueName)) + "\n"
        }
        if let shown = option.shownDefault {
            out += Self.line("Default: " + self.inline(shown + ".", valueName: nil)) + "\n"
        }
        if let range = option.kind?.rangeDescription {
            let bounds = range.split(separator: "…").map { Self.escape(String($0)) }
            out += "Range: \(bounds.first ?? "") to \(bounds.last ?? "").\n"
        }
        return out
    }

    /// `\fB\-c\fR, \fB\-\-concurrency\fR \fIN\fR`.
    func tag(_ option: OptionSpec) -> String {
        var parts: [String] = []
        if let short = option.short { parts.append("\\fB\\-\(Self.escape(String(short)))\\fR") }
        var long = "\\fB\\-\\-\(Self.escape(option.long))\\fR"
        if let valueName = option.valueName { long += " \\fI\(Self.escape(valueName))\\fR" }
        parts.append(long)
        return parts.joined(separator: ", ")
    }

    /// Plain help text as roff: option names in bold, the value name in
    /// italics, everything else escaped.
    func inline(_ text: String, valueName: String?) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { word in
            let core = word.drop { "('\"".contains($0) }.reversed().drop { ".,;:)'\"".contains($0) }.reversed()
            let coreText = String(core)
            let isOption = coreText.hasPrefix("-") && coreText.count > 1 && coreText.dropFirst().first != " "
            guard isOption || (valueName != nil && coreText == valueName) else { return Self.escapeText(String(word)) }
            let prefix = word.prefix { "('\"".contains($0) }
            let suffix = word.dropFirst(prefix.count + coreText.count)
            let font = isOption ? "\\fB" : "\\fI"
            return Self.escapeText(String(prefix)) + font + Self.escape(coreText) + "\\fR"
                + Self.escapeText(String(suffix))
        }.joined(separator: " ")
    }

    /// Escapes roff's backslash and writes dashes as `\-`, so that option
    /// names can be searched for and copied.
    static func escape(_ text: String) -> String {
        text.replacingAll("\\", with: "\\e").replacingAll("-", with: "\\-")
    }

    /// Escapes roff's backslash only: a dash inside a word (`read-only`)
    /// stays a hyphen.
    static func escapeText(_ text: String) -> String {
        text.replacingAll("\\", with: "\\e")
    }

    /// A text line that cannot be read as a request: one starting with `.`
    /// or `'` gets the zero-width `\&` first.
    static func line(_ text: String) -> String {
        text.hasPrefix(".") || text.hasPrefix("'") ? "\\&" + text : text
    }
}

extension String {
    /// This string with every `target` replaced by `replacement`, without
    /// Foundation.
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
