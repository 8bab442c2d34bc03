/// Writes `completions/peft-perf.fish` from the command table.
struct FishCompletionGenerator {
    let model = CompletionModel()

    func script() -> String {
        var out = """
            # fish completion for peft-perf.
            # Install as share/fish/vendor_completions.d/peft-perf.fish.
            #
            # Generated from Sources/PeftPerfCLI/CLI/CommandTable.swift by
            # `peft-perf __generate fish`: do not edit, regenerate (see README.md,
            # Development).
            #
            # The command path is worked out by __peft_perf_path rather than with
            # __fish_seen_subcommand_from alone, because option values may be command
            # words too (`bench --suite db` is not `db`).

            # Options that take a value, global or of any command.
            set -g __peft_perf_value_options \\

            """
        let lines = CompletionModel.wrap(self.model.valueOptionSpellings, width: 74)
        out += lines.enumerated().map { "    \($1)" + ($0 < lines.count - 1 ? " \\\n" : "\n") }.joined()
        out += """

            function __peft_perf_children -d 'Print the subcommands of a command path'
                switch "$argv"

            """
        for parent in [[]] + self.model.groups.map(\.path) {
            out += "        case \(Self.quote(parent.joined(separator: " ")))\n"
            out += "            printf '%s\\n' \(self.model.children(of: parent).joined(separator: " "))\n"
        }
        out += """
                end
            end

            function __peft_perf_path -d 'Print the peft-perf command path typed so far'
                set -l tokens (commandline -opc)
                set -e tokens[1]
                set -l path
                set -l skip 0
                for token in $tokens
                    if test $skip = 1
                        set skip 0
                        continue
                    end
                    switch $token
                        case --
                            break
                        case '--*=*'
                            continue
                        case '-*'
                            if contains -- $token $__peft_perf_value_options
                                set skip 1
                            end
                            continue
                    end
                    set -l children (__peft_perf_children "$path")
                    if contains -- $token $children
                        set path $path $token
                    else if test (count $children) -eq 0
                        # The command is complete: the rest are its arguments.
                        break
                    end
                end
                string join ' ' -- $path
            end

            function __peft_perf_using -d 'Test whether the command path is exactly the arguments'
                set -l path (__peft_perf_path)
                test "$path" = "$argv"
            end

            function __peft_perf_formats -d 'Print the formats of the current command'
                set -l path (__peft_perf_path)
                switch "$path"

            """
        for (formats, paths) in BashCompletionGenerator().formatGroups() {
            out += "        case \(paths.map(Self.quote).joined(separator: " "))\n"
            out += "            printf '%s\\n' \(formats)\n"
        }
        out += """
                    case '*'
                        printf '%s\\n' \(self.model.allFormats.joined(separator: " "))
                end
            end

            function __peft_perf_help_words -d 'Print the next word of a command path after help'
                set -l tokens (commandline -opc)
                set -l index (contains -i -- help $tokens)
                set -l words
                for token in $tokens[(math $index + 1)..-1]
                    string match -q -- '-*' $token; or set words $words $token
                end
                __peft_perf_children "$words"
            end

            complete -c peft-perf -f

            # Global options, accepted before or after any command.

            """
        for option in CommandTable.globalOptions {
            out += self.line(option, condition: nil)
        }
        out += "\n# Commands and subcommands.\n"
        for parent in [[]] + self.model.groups.map(\.path) {
            for child in CommandTable.children(of: parent) {
                out += "complete -c peft-perf -n \(Self.quote(self.condition(parent)))"
                out += " -a \(child.path.last ?? "") -d \(Self.quote(CompletionModel.withoutPeriod(child.abstract)))\n"
            }
        }
        for command in self.model.leaves where !command.options.isEmpty || !command.arguments.isEmpty {
            out += "\n# \(command.name)\n"
            let condition = self.condition(command.path)
            if command.arguments.first != nil {
                out += "complete -c peft-perf -n \(Self.quote(condition))"
                if command.path == CompletionModel.helpPath {
                    out += " -a '(__peft_perf_help_words)'\n"
                } else {
                    switch command.arguments.first?.kind {
                    case .path: out += " -F\n"
                    case .directory: out += " -a '(__fish_complete_directories)'\n"
                    case .choice(let words): out += " -a \(Self.quote(words.joined(separator: " ")))\n"
                    default: out += "\n"
                    }
                }
            }
            for option in command.options {
                out += self.line(option, condition: condition)
            }
        }
        return out
    }

    /// `__peft_perf_using PATH`.
    func condition(_ path: [String]) -> String {
        (["__peft_perf_using"] + path).joined(separator: " ")
    }

    /// The `complete` line of `option`, for the command `condition` names
    /// (every command when nil).
    func line(_ option: OptionSpec, condition: String?) -> String {
        var out = "complete -c peft-perf"
        if let condition { out += " -n \(Self.quote(condition))" }
        if let short = option.short { out += " -s \(short)" }
        out += " -l \(option.long)"
        switch option.kind {
        case nil: break
        case .path: out += " -r -F"
        case .directory: out += " -x -a '(__fish_complete_directories)'"
        case .choice where option.long == "format": out += " -x -a '(__peft_perf_formats)'"
        case .choice(let words): out += " -x -a \(Self.quote(words.joined(separator: " ")))"
        default: out += " -x"
        }
        var description = option.help
        if let shown = option.shownDefault { description += " (\(shown))" }
        return out + " -d \(Self.quote(description))\n"
    }

    /// `text` in single quotes, with `\` and `'` escaped as fish reads them.
    static func quote(_ text: String) -> String {
        var out = "'"
        for character in text {
            if character == "\\" || character == "'" { out += "\\" }
            out.append(character)
        }
        return out + "'"
    }
}
