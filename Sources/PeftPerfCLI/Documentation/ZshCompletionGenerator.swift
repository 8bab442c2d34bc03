/// Writes `completions/_peft-perf` from the command table.
struct ZshCompletionGenerator {
    let model = CompletionModel()

    func script() -> String {
        var out = """
            #compdef peft-perf
            #
            # zsh completion for peft-perf. Install as share/zsh/site-functions/_peft-perf.
            #
            # Generated from Sources/PeftPerfCLI/CLI/CommandTable.swift by
            # `peft-perf __generate zsh`: do not edit, regenerate (see README.md,
            # Development).

            # Sets reply to the global option specs; $1 lists the formats to offer.
            _peft_perf_global_specs() {
              reply=(

            """
        for option in CommandTable.globalOptions {
            out += "    \(self.spec(option))\n"
        }
        out += """
              )
            }

            # Offers the subcommands of the command path $1 ('' for the top level).
            _peft_perf_subcommands() {
              local -a subcommands
              case $1 in

            """
        for parent in [[]] + self.model.groups.map(\.path) {
            out += "    (\(Self.quote(parent.joined(separator: " "))))\n      subcommands=(\n"
            for child in CommandTable.children(of: parent) {
                let word = child.path.last ?? ""
                let description = CompletionModel.lowercasedFirst(CompletionModel.withoutPeriod(child.abstract))
                out += "        \(Self.quote(word + ":" + description))\n"
            }
            out += "      )\n      ;;\n"
        }
        out += """
              esac
              _describe -t commands 'peft-perf command' subcommands
            }

            # Completes the options and arguments of the command path $1.
            _peft_perf_command() {
              local -a specs reply
              local formats='\(self.model.allFormats.joined(separator: " "))'
              case $1 in

            """
        for command in self.model.leaves {
            out += "    (\(Self.quote(command.name)))\n"
            out += "      formats='\(command.formats.map(\.rawValue).joined(separator: " "))'\n"
            let specs = command.options.map(self.spec) + command.arguments.map { self.argumentSpec($0, of: command) }
            if !specs.isEmpty {
                out += "      specs=(\n" + specs.map { "        \($0)\n" }.joined() + "      )\n"
            }
            out += "      ;;\n"
        }
        let groups = self.model.groups.map(\.name).joined(separator: "|")
        out += """
              esac
              _peft_perf_global_specs "$formats"
              _arguments -s -S : $reply $specs
            }

            # After `help`, offers the next word of a command path.
            _peft_perf_help_words() {
              local -a cmdpath
              local word
              for word in ${words[1,CURRENT-1]}; do
                [[ $word == -* ]] || cmdpath+=($word)
              done
              _peft_perf_subcommands "${(j: :)cmdpath}"
            }

            _peft-perf() {
              local curcontext=$curcontext state state_descr line ret=1
              local -a reply
              typeset -A opt_args

              _peft_perf_global_specs '\(self.model.allFormats.joined(separator: " "))'
              _arguments -C -s -S -A "-*" : $reply \\
                '1: :->command' \\
                '*:: :->arguments' && ret=0

              case $state in
                (command)
                  _peft_perf_subcommands '' && ret=0
                  ;;
                (arguments)
                  local command=$words[1]
                  curcontext=${curcontext%:*:*}:peft-perf-$command:
                  case $command in
                    (\(groups))
                      _peft_perf_global_specs '\(self.model.allFormats.joined(separator: " "))'
                      _arguments -C -s -S -A "-*" : $reply \\
                        '1: :->subcommand' \\
                        '*:: :->subarguments' && ret=0
                      case $state in
                        (subcommand)
                          _peft_perf_subcommands $command && ret=0
                          ;;
                        (subarguments)
                          curcontext=${curcontext%:*:*}:peft-perf-$command-$words[1]:
                          _peft_perf_command "$command $words[1]" && ret=0
                          ;;
                      esac
                      ;;
                    (*)
                      _peft_perf_command $command && ret=0
                      ;;
                  esac
                  ;;
              esac
              return ret
            }

            _peft-perf "$@"

            """
        return out
    }

    /// The `_arguments` spec of `option`, shell-quoted.
    func spec(_ option: OptionSpec) -> String {
        let description = "[" + Self.bracketEscaped(CompletionModel.lowercasedFirst(option.help)) + "]"
        var argument = ""
        if let valueName = option.valueName {
            var message = valueName.lowercased()
            if let shown = option.shownDefault { message += " (\(shown))" }
            argument = ":" + Self.colonEscaped(message) + ":" + self.action(option)
        }
        let exclusion: String
        if option.long == "help" || option.long == "version" {
            exclusion = "(- *)"
        } else if option.repeatable {
            exclusion = "*"
        } else {
            exclusion = option.short.map { "(-\($0) --\(option.long))" } ?? ""
        }
        let longForm = "--\(option.long)" + (option.takesValue ? "=" : "")
        let body = description + argument
        if option.long == "format" {
            // The formats come from the caller, as $1.
            return Self.quote(exclusion + longForm + description + ":format:(") + "\"$1\"" + Self.quote(")")
        }
        guard let short = option.short else { return Self.quote(exclusion + longForm + body) }
        let shortForm = "-\(short)" + (option.takesValue ? "+" : "")
        return Self.quote(exclusion) + "{\(shortForm),\(longForm)}" + Self.quote(body)
    }

    /// The completion action for `option`'s value.
    func action(_ option: OptionSpec) -> String {
        switch option.kind {
        case .choice(let words): "(\(words.joined(separator: " ")))"
        case .path: "_files"
        case .directory: "_files -/"
        case .url: "_urls"
        default: " "
        }
    }

    /// The `_arguments` spec of a command's positional argument.
    func argumentSpec(_ argument: ArgumentSpec, of command: CommandSpec) -> String {
        if command.path == CompletionModel.helpPath { return Self.quote("*:: :_peft_perf_help_words") }
        let position = argument.variadic ? "*" : "1"
        let optional = argument.optional ? "::" : ":"
        let action: String
        switch argument.kind {
        case .path: action = "_files"
        case .directory: action = "_files -/"
        case .choice(let words): action = "(\(words.joined(separator: " ")))"
        default: action = " "
        }
        return Self.quote(position + optional + Self.colonEscaped(argument.help) + ":" + action)
    }

    /// `text` in single quotes, a quote inside written `'\''`.
    static func quote(_ text: String) -> String {
        var out = "'"
        for character in text {
            out += character == "'" ? #"'\''"# : String(character)
        }
        return out + "'"
    }

    /// Escapes the brackets of a description (`[...]`).
    static func bracketEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "[" || character == "]" || character == "\\" { out += "\\" }
            out.append(character)
        }
        return out
    }

    /// Escapes the colons of a message, which would end it.
    static func colonEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == ":" || character == "\\" { out += "\\" }
            out.append(character)
        }
        return out
    }
}
