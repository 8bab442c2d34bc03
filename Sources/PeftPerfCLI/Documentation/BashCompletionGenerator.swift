/// Writes `completions/peft-perf.bash` from the command table.
struct BashCompletionGenerator {
    let model = CompletionModel()

    func script() -> String {
        var out = """
            # bash completion for peft-perf                            -*- shell-script -*-
            #
            # Install as share/bash-completion/completions/peft-perf, or source it.
            #
            # Generated from Sources/PeftPerfCLI/CLI/CommandTable.swift by
            # `peft-perf __generate bash`: do not edit, regenerate (see README.md,
            # Development).

            # Sets `subcommands` and `options` for the command path $1 ('' at the top).
            _peft_perf_spec() {
                case $1 in

            """
        out += "        '') subcommands='\(self.model.children(of: []).joined(separator: " "))' options='' ;;\n"
        for command in self.model.commands {
            let subcommands = self.model.children(of: command.path).joined(separator: " ")
            let options = self.model.spellings(command.options).joined(separator: " ")
            out += "        '\(command.name)') subcommands='\(subcommands)' options='\(options)' ;;\n"
        }
        out += """
                    *) subcommands='' options='' ;;
                esac
            }

            _peft_perf_global_options='\(self.model.spellings(CommandTable.globalOptions).joined(separator: " "))'

            # Options that take a value, global or of any command: their value is not a
            # command word.
            _peft_perf_takes_value() {
                case $1 in

            """
        for line in CompletionModel.wrap(self.model.valueOptionSpellings, width: 72, separator: " | ") {
            out += "        \(line)) return 0 ;;\n"
        }
        out += """
                esac
                return 1
            }

            # The formats the command path $1 supports.
            _peft_perf_formats() {
                case $1 in

            """
        for (formats, paths) in self.formatGroups() {
            out += Self.branches(paths.map { "'\($0)'" }, "echo '\(formats)'")
        }
        out += """
                    *) echo '\(self.model.allFormats.joined(separator: " "))' ;;
                esac
            }

            _peft_perf_files() {
                compopt -o filenames 2>/dev/null
                COMPREPLY=($(compgen -f -- "$1"))
            }

            _peft_perf_directories() {
                compopt -o filenames 2>/dev/null
                COMPREPLY=($(compgen -d -- "$1"))
            }

            # Completes the value of the option $2 in the command path $1, the word
            # being $3 (`:` for a free-form value: nothing to offer). Fails when $2
            # takes no value.
            _peft_perf_value() {
                case $2 in

            """
        out += self.valueBranches()
        out += """
                    *) return 1 ;;
                esac
                return 0
            }

            # After `help`, offers the next word of a command path.
            _peft_perf_help_words() {
                local helppath='' rest='' i word
                for ((i = 1; i < COMP_CWORD; i++)); do
                    word=${COMP_WORDS[i]}
                    [[ $word == -* ]] && continue
                    if [[ -z $rest ]]; then
                        [[ $word == help ]] && rest=1
                        continue
                    fi
                    helppath=${helppath:+$helppath }$word
                done
                _peft_perf_spec "$helppath"
                COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
            }

            _peft_perf() {
                local cur prev i word path='' subcommands options ended=0
                COMPREPLY=()
                cur=${COMP_WORDS[COMP_CWORD]}
                prev=''
                ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}

                # COMP_WORDBREAKS splits --format=json into '--format' '=' 'json'.
                if [[ $cur == '=' ]]; then
                    cur=''
                elif [[ $prev == '=' ]] && ((COMP_CWORD > 1)); then
                    prev=${COMP_WORDS[COMP_CWORD - 2]}
                fi

                # Find the command path among the words before the cursor.
                i=1
                while ((i < COMP_CWORD)); do
                    word=${COMP_WORDS[i]}
                    if ((ended)); then
                        :
                    elif [[ $word == -- ]]; then
                        ended=1
                    elif [[ $word == -* ]]; then
                        if [[ $word != *=* ]] && _peft_perf_takes_value "$word"; then
                            ((i++))
                        elif [[ ${COMP_WORDS[i + 1]} == '=' ]]; then
                            ((i += 2))
                        fi
                    else
                        _peft_perf_spec "$path"
                        if [[ " $subcommands " == *" $word "* ]]; then
                            path=${path:+$path }$word
                        fi
                    fi
                    ((i++))
                done
                _peft_perf_spec "$path"

                if _peft_perf_value "$path" "$prev" "$cur"; then
                    return 0
                fi

                if ((!ended)) && [[ $cur == -* ]]; then
                    COMPREPLY=($(compgen -W "$options $_peft_perf_global_options" -- "$cur"))
                    return 0
                fi

                if [[ -n $subcommands ]]; then
                    COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
                    return 0
                fi

                # The command's arguments.
                case $path in

            """
        out += self.argumentBranches()
        out += """
                esac
                return 0
            }

            complete -F _peft_perf peft-perf

            """
        return out
    }

    /// Each distinct list of formats, with the commands that have it.
    func formatGroups() -> [(String, [String])] {
        var groups: [(String, [String])] = []
        for command in self.model.leaves {
            let formats = command.formats.map(\.rawValue).joined(separator: " ")
            if let index = groups.firstIndex(where: { $0.0 == formats }) {
                groups[index].1.append(command.name)
            } else {
                groups.append((formats, [command.name]))
            }
        }
        return groups
    }

    /// How the value of `option` is completed, in `_peft_perf_value`.
    func action(_ option: OptionSpec) -> String {
        switch option.kind {
        case .choice where option.long == "format":
            return #"COMPREPLY=($(compgen -W "$(_peft_perf_formats "$1")" -- "$3"))"#
        case .choice(let words):
            return #"COMPREPLY=($(compgen -W '"# + words.joined(separator: " ") + #"' -- "$3"))"#
        case .path:
            return #"_peft_perf_files "$3""#
        case .directory:
            return #"_peft_perf_directories "$3""#
        case .url:
            return #"COMPREPLY=($(compgen -W 'http:// https://' -- "$3")); compopt -o nospace 2>/dev/null"#
        default:
            return ":"
        }
    }

    /// The branches of `_peft_perf_value`: options completed alike share
    /// one; a spelling whose value differs between commands gets a branch of
    /// its own that asks the command path.
    func valueBranches() -> String {
        // spelling → [(command name, or nil for a global option), action]
        var scoped: [String: [(String?, String)]] = [:]
        var order: [String] = []
        func add(_ options: [OptionSpec], _ scope: String?) {
            for option in options where option.takesValue {
                for spelling in self.model.spellings([option]) {
                    if scoped[spelling] == nil { order.append(spelling) }
                    scoped[spelling, default: []].append((scope, self.action(option)))
                }
            }
        }
        add(CommandTable.globalOptions, nil)
        for command in self.model.leaves { add(command.options, command.name) }

        var shared: [(action: String, spellings: [String])] = []
        var out = ""
        for spelling in order {
            let uses = scoped[spelling] ?? []
            let actions = Set(uses.map(\.1))
            if actions.count == 1, let action = actions.first {
                if let index = shared.firstIndex(where: { $0.action == action }) {
                    shared[index].spellings.append(spelling)
                } else {
                    shared.append((action, [spelling]))
                }
                continue
            }
            out += "        \(spelling))\n            case $1 in\n"
            for (scope, action) in uses where scope != nil {
                out += "                '\(scope ?? "")') \(action) ;;\n"
            }
            let fallback = uses.first { $0.0 == nil }?.1 ?? ":"
            out += "                *) \(fallback) ;;\n            esac\n            ;;\n"
        }
        var head = ""
        for (action, spellings) in shared {
            head += Self.branches(spellings, action)
        }
        return head + out
    }

    /// `pattern | pattern) action ;;` lines at the indentation of a case
    /// branch, as many as keep each line within 100 columns.
    static func branches(_ patterns: [String], _ action: String) -> String {
        let width = max(100 - 8 - action.count - 6, 30)
        return CompletionModel.wrap(patterns, width: width, separator: " | ").map {
            "        \($0)) \(action) ;;\n"
        }.joined()
    }

    /// The branches that complete each command's arguments.
    func argumentBranches() -> String {
        var out = ""
        for command in self.model.leaves {
            guard let argument = command.arguments.first else { continue }
            let action: String
            if command.path == CompletionModel.helpPath {
                action = "_peft_perf_help_words"
            } else {
                switch argument.kind {
                case .path: action = #"_peft_perf_files "$cur""#
                case .directory: action = #"_peft_perf_directories "$cur""#
                case .choice(let words):
                    action = #"COMPREPLY=($(compgen -W '"# + words.joined(separator: " ") + #"' -- "$cur"))"#
                default: continue
                }
            }
            out += "        '\(command.name)') \(action) ;;\n"
        }
        return out
    }
}
