import PeftPerfCore

extension PeftPerf {
    /// `peft-perf help [COMMAND...]`.
    enum HelpCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            let words = context.arguments.positionals
            let formatter = HelpFormatter()
            if words.isEmpty {
                try context.emit(formatter.rootHelp())
                return .success
            }
            guard let command = CommandTable.command(words) else {
                let names = CommandTable.commands.map(\.name)
                let hint = EditDistance.suggestion(for: words.joined(separator: " "), among: names)
                throw UsageError(
                    "unknown command '\(words.joined(separator: " "))'",
                    hint: hint.map { "did you mean '\($0)'?" })
            }
            try context.emit(formatter.help(for: command))
            return .success
        }
    }
}
