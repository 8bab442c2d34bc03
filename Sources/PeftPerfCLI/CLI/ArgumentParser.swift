import PeftPerfCore

/// Turns argv into a command and its validated arguments.
///
/// Grammar: `--opt value`, `--opt=value`, short flags that may be clustered
/// (`-qv`, `-c64`, `-c 64`), and `--` to end options. Global options may come
/// before or after the command. The first words that are not options name the
/// command, longest match first (`db slow`).
struct ArgumentParser {
    /// The outcome of a successful parse.
    struct Invocation: Sendable {
        let command: CommandSpec
        let arguments: ParsedArguments
    }

    let version: String

    /// Parses `argv` (without the program name).
    ///
    /// - Throws: ``CleanExit`` for `--help` and `--version`, ``UsageError``
    ///   for anything that is not a valid command line.
    func parse(_ argv: [String]) throws -> Invocation {
        var path: [String] = []
        var command: CommandSpec?
        var arguments = ParsedArguments()
        var wantsHelp = false
        var wantsVersion = false
        var firstError: UsageError?
        var index = 0
        var optionsEnded = false

        func options() -> [OptionSpec] {
            (command?.options ?? []) + CommandTable.globalOptions
        }

        func record(_ error: UsageError) {
            if firstError == nil { firstError = error }
        }

        func take(_ spec: OptionSpec, inline: String?, spelled: String) {
            if spec.long == "help" { wantsHelp = true }
            if spec.long == "version" { wantsVersion = true }
            guard spec.takesValue else {
                if let inline {
                    record(UsageError("option \(spelled) does not take a value (got '\(inline)')"))
                }
                arguments.add(spec.long, nil)
                return
            }
            var value = inline
            if value == nil {
                if index < argv.count {
                    value = argv[index]
                    index += 1
                } else {
                    record(UsageError("option \(spelled) needs a value (\(spec.valueName ?? "VALUE"))"))
                    return
                }
            }
            guard let value else { return }
            if let kind = spec.kind, let problem = kind.problem(with: value) {
                record(
                    UsageError(
                        "invalid value '\(value)' for \(spelled): \(problem)")
                )
                return
            }
            arguments.add(spec.long, value)
        }

        func unknownOption(_ spelled: String, bare: String, long: Bool) {
            var hint: String?
            let owners = CommandTable.commands.filter { c in
                c.options.contains { long ? $0.long == bare : $0.short.map(String.init) == bare }
            }
            if command == nil, !owners.isEmpty {
                let names = owners.map { "'\($0.name)'" }.joined(separator: ", ")
                hint = "\(spelled) is an option of \(names); give it after the command"
            } else if long, let near = EditDistance.suggestion(for: bare, among: options().map(\.long)) {
                hint = "did you mean '--\(near)'?"
            } else if long, command == nil,
                let near = EditDistance.suggestion(
                    for: bare, among: CommandTable.commands.flatMap { $0.options.map(\.long) })
            {
                hint = "did you mean '--\(near)'? It is an option of a command; give it after the command"
            } else if let command, command.isGroup == false {
                hint = "see 'peft-perf help \(command.name)' for its options"
            } else {
                hint = "run 'peft-perf --help' for the options"
            }
            record(UsageError("unknown option '\(spelled)'", hint: hint))
        }

        while index < argv.count {
            let argument = argv[index]
            index += 1
            let token = optionsEnded ? .positional(argument) : ArgumentTokenizer.token(for: argument)
            switch token {
            case .terminator:
                optionsEnded = true
            case .long(let name, let inline):
                if let spec = options().first(where: { $0.long == name }) {
                    take(spec, inline: inline, spelled: "--\(name)")
                } else {
                    unknownOption("--\(name)", bare: name, long: true)
                }
            case .shortCluster(let letters):
                var rest = Substring(letters)
                while let letter = rest.first {
                    rest = rest.dropFirst()
                    guard let spec = options().first(where: { $0.short == letter }) else {
                        unknownOption("-\(letter)", bare: String(letter), long: false)
                        break
                    }
                    if spec.takesValue {
                        take(spec, inline: rest.isEmpty ? nil : String(rest), spelled: "-\(letter)")
                        rest = ""
                    } else {
                        take(spec, inline: nil, spelled: "-\(letter)")
                    }
                }
            case .positional(let word):
                if command == nil || command?.isGroup == true {
                    let candidate = path + [word]
                    if let found = CommandTable.command(candidate) {
                        path = candidate
                        command = found
                        continue
                    }
                    let names = CommandTable.children(of: path).map { $0.path.last ?? "" }
                    let hint = EditDistance.suggestion(for: word, among: names).map { "did you mean '\($0)'?" }
                    if path.isEmpty {
                        record(
                            UsageError(
                                "unknown command '\(word)'",
                                hint: hint ?? "run 'peft-perf --help' for the list of commands"))
                    } else {
                        record(
                            UsageError(
                                "unknown subcommand '\(word)' for '\(path.joined(separator: " "))'",
                                hint: hint ?? "expected one of: \(names.joined(separator: ", "))"))
                    }
                    // Keep scanning so that --help anywhere still shows help.
                    continue
                }
                arguments.addPositional(word)
            }
        }

        let help = HelpFormatter()
        if wantsHelp {
            throw CleanExit(text: help.help(for: command))
        }
        if wantsVersion {
            throw CleanExit(text: "peft-perf \(self.version)\n")
        }
        if let firstError { throw firstError }
        guard let command else {
            throw UsageError("no command given", hint: "run 'peft-perf --help' for the list of commands")
        }
        if command.isGroup {
            let names = CommandTable.children(of: command.path).map { $0.path.last ?? "" }
            throw UsageError(
                "'\(command.name)' needs a subcommand: \(names.joined(separator: ", "))",
                hint: "see 'peft-perf help \(command.name)'")
        }
        try self.checkPositionals(arguments.positionals, for: command)
        arguments.bind(to: command.options + CommandTable.globalOptions)
        return Invocation(command: command, arguments: arguments)
    }

    private func checkPositionals(_ positionals: [String], for command: CommandSpec) throws {
        guard let spec = command.arguments.first else {
            if let extra = positionals.first {
                throw UsageError(
                    "unexpected argument '\(extra)' for '\(command.name)'",
                    hint: "see 'peft-perf help \(command.name)'")
            }
            return
        }
        if positionals.isEmpty, !spec.optional {
            throw UsageError("'\(command.name)' needs \(spec.name)")
        }
        if positionals.count > 1, !spec.variadic {
            throw UsageError("'\(command.name)' takes one \(spec.name), got \(positionals.count)")
        }
    }
}
