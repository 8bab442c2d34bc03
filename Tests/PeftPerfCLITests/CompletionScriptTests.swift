import Foundation
import Testing

@testable import PeftPerfCLI

/// Runs the bash and fish completions for real and checks what they offer
/// against the command table: each command's options plus the global ones,
/// the subcommands of each group, and the values of every choice option.
///
/// zsh's completion system needs a terminal: it runs in a pseudo-terminal
/// (zsh's own `zpty`), where each command line is typed and Ctrl-D lists
/// what would complete. The scripts are generated
/// (``GeneratedDocumentationTests``); these tests check that what they
/// generate behaves.
@Suite struct CompletionScriptTests {
    typealias Files = DocumentationFiles

    static let hasBash = DocumentationFiles.toolIsAvailableOrRequired("bash")
    static let hasFish = DocumentationFiles.toolIsAvailableOrRequired("fish")
    static let hasZsh = DocumentationFiles.toolIsAvailableOrRequired("zsh")

    /// Every leaf command's name, for parameterized tests.
    static let leafNames = CommandTable.commands.filter { !$0.isGroup }.map(\.name)

    /// One choice option of one command (or of none: a global option).
    struct Choice: Sendable, CustomTestStringConvertible {
        let command: String
        let option: String
        let values: Set<String>
        var testDescription: String { "\(command.isEmpty ? "(global)" : command) --\(option)" }
    }

    /// Every choice option, with the values it should offer. `--format`
    /// offers the formats of its command.
    static let choices: [Choice] = {
        var result: [Choice] = []
        for command in [nil] + CommandTable.commands.filter({ !$0.isGroup }) {
            let options = (command?.options ?? []) + CommandTable.globalOptions
            for option in options {
                guard case .choice(let words) = option.kind else { continue }
                var values = Set(words)
                if option.long == "format", let command { values = Set(command.formats.map(\.rawValue)) }
                result.append(Choice(command: command?.name ?? "", option: option.long, values: values))
            }
        }
        return result
    }()

    /// One option whose value is a path, a directory or a URL, of one
    /// command (or of none: a global option).
    struct PathLike: Sendable, CustomTestStringConvertible {
        let command: String
        let option: String
        let kind: ValueKind
        var testDescription: String { "\(command.isEmpty ? "(global)" : command) --\(option)" }
        var words: [String] { CompletionScriptTests.words(self.command) + ["--\(self.option)"] }
    }

    /// Every option whose value completes as a file, a directory or a URL.
    static let pathLikes: [PathLike] = {
        var result: [PathLike] = []
        for command in [nil] + CommandTable.commands.filter({ !$0.isGroup }) {
            for option in command?.options ?? CommandTable.globalOptions {
                guard let kind = option.kind, [.path, .directory, .url].contains(kind) else { continue }
                result.append(PathLike(command: command?.name ?? "", option: option.long, kind: kind))
            }
        }
        return result
    }()

    static func words(_ command: String) -> [String] {
        command.split(separator: " ").map(String.init)
    }

    static func expectedOptions(_ command: String) -> Set<String> {
        let spec = CommandTable.command(self.words(command))
        return Set(((spec?.options ?? []) + CommandTable.globalOptions).map { "--\($0.long)" })
    }

    // MARK: - bash

    /// What `_peft_perf` puts in COMPREPLY for the command line `words`,
    /// whose last word is the one being completed.
    func bashCompletions(_ words: [String]) throws -> Set<String> {
        let script = """
            source "$1"; shift
            COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
            _peft_perf
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try Files.run("bash", ["-c", script, "bash", Files.path(Files.bash), "peft-perf"] + words)
        #expect(result.status == 0, "\(result.stderr)")
        return Set(result.stdout.split(separator: "\n").map(String.init))
    }

    @Test(.enabled(if: hasBash, "bash is not installed"), arguments: leafNames)
    func bashOffersTheOptionsOfEachCommand(command: String) throws {
        let offered = try bashCompletions(Self.words(command) + ["--"])
        #expect(offered == Self.expectedOptions(command))
    }

    @Test(.enabled(if: hasBash, "bash is not installed"))
    func bashOffersCommandsAndSubcommands() throws {
        for (parent, children) in Files.children {
            #expect(try bashCompletions(Self.words(parent) + [""]) == children, "below '\(parent)'")
            #expect(try bashCompletions(["--json"] + Self.words(parent) + [""]) == children, "below '\(parent)'")
            #expect(try bashCompletions(["help"] + Self.words(parent) + [""]) == children, "help '\(parent)'")
        }
    }

    @Test(.enabled(if: hasBash, "bash is not installed"), arguments: choices)
    func bashOffersChoiceValues(choice: Choice) throws {
        let line = Self.words(choice.command) + ["--\(choice.option)", ""]
        #expect(try bashCompletions(line) == choice.values)
        // COMP_WORDBREAKS splits `--option=` into `--option` and `=`.
        #expect(try bashCompletions(Self.words(choice.command) + ["--\(choice.option)", "=", ""]) == choice.values)
    }

    @Test(.enabled(if: hasBash, "bash is not installed"))
    func bashSkipsOptionValuesWhenFindingTheCommand() throws {
        // `db` here is the value of --suite, not the db group.
        #expect(try bashCompletions(["bench", "--suite", "db", "--thr"]) == ["--threads"])
        #expect(try bashCompletions(["--db", "db", "system", "--int"]) == ["--interval"])
    }

    @Test(.enabled(if: hasBash, "bash is not installed"))
    func bashOffersFilesForPathValues() throws {
        #expect(try bashCompletions(["--db", "Package.sw"]) == ["Package.swift"])
        #expect(try bashCompletions(["record", "Package.sw"]) == ["Package.swift"])
        #expect(try bashCompletions(["system", "--path", "Sourc"]) == ["Sources"])
    }

    /// Files for a path, only directories for a directory, a scheme for a
    /// URL: generated from the table's value kinds.
    @Test(.enabled(if: hasBash, "bash is not installed"), arguments: pathLikes)
    func bashOffersPathsDirectoriesAndSchemes(option: PathLike) throws {
        switch option.kind {
        case .path:
            #expect(try bashCompletions(option.words + ["Package.sw"]) == ["Package.swift"])
        case .directory:
            #expect(try bashCompletions(option.words + ["Sourc"]) == ["Sources"])
            #expect(try bashCompletions(option.words + ["Package.sw"]) == [])
        default:
            #expect(try bashCompletions(option.words + ["ht"]) == ["http://", "https://"])
        }
    }

    // MARK: - fish

    /// What fish offers for the command line `line` (`complete -C`), first
    /// column only.
    func fishCompletions(_ line: String) throws -> Set<String> {
        let result = try Files.run(
            "fish", ["--no-config", "-c", "source $argv[1]; complete -C $argv[2]", Files.path(Files.fish), line])
        #expect(result.status == 0, "\(result.stderr)")
        return Set(result.stdout.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") })
    }

    @Test(.enabled(if: hasFish, "fish is not installed"), arguments: leafNames)
    func fishOffersTheOptionsOfEachCommand(command: String) throws {
        #expect(try fishCompletions("peft-perf \(command) --") == Self.expectedOptions(command))
    }

    @Test(.enabled(if: hasFish, "fish is not installed"))
    func fishOffersCommandsAndSubcommands() throws {
        for (parent, children) in Files.children {
            let prefix = parent.isEmpty ? "" : parent + " "
            #expect(try fishCompletions("peft-perf \(prefix)") == children, "below '\(parent)'")
            #expect(try fishCompletions("peft-perf -q \(prefix)") == children, "below '\(parent)'")
            #expect(try fishCompletions("peft-perf help \(prefix)") == children, "help '\(parent)'")
        }
    }

    @Test(.enabled(if: hasFish, "fish is not installed"), arguments: choices)
    func fishOffersChoiceValues(choice: Choice) throws {
        let prefix = choice.command.isEmpty ? "" : choice.command + " "
        #expect(try fishCompletions("peft-perf \(prefix)--\(choice.option) ") == choice.values)
    }

    @Test(.enabled(if: hasFish, "fish is not installed"), arguments: pathLikes)
    func fishOffersPathsAndDirectories(option: PathLike) throws {
        let line = "peft-perf " + option.words.joined(separator: " ")
        switch option.kind {
        case .path:
            #expect(try fishCompletions(line + " Package.sw") == ["Package.swift"])
        case .directory:
            #expect(try fishCompletions(line + " Sourc") == ["Sources/"])
            #expect(try fishCompletions(line + " Package.sw") == [])
        default:
            // A URL is free text: no files.
            #expect(try fishCompletions(line + " Package.sw") == [])
        }
    }

    @Test(.enabled(if: hasFish, "fish is not installed"))
    func fishSkipsOptionValuesWhenFindingTheCommand() throws {
        #expect(try fishCompletions("peft-perf bench --suite db --thr") == ["--threads"])
        #expect(try fishCompletions("peft-perf --db db system --int") == ["--interval"])
    }

    // MARK: - zsh

    /// Types each line into an interactive zsh in a pseudo-terminal, presses
    /// Ctrl-D (list the choices) and prints the screen up to the redrawn
    /// prompt, after a `@@LINE@@` header. Every wait is bounded (30 s).
    static let zshDriver = #"""
        zmodload zsh/zpty || exit 3
        zpty z 'TERM=dumb zsh -f -i' || exit 4
        zpty -w z 'PS1="%% "; LISTMAX=100000; fpath=('"$1"' $fpath); autoload -Uz compinit; compinit -u -d "$HOME/.zcompdump"; print -r -- @@REA""DY@@'
        shift
        local out='' chunk
        for i in {1..300}; do
          if zpty -rt z chunk; then out+=$chunk; else sleep 0.1; fi
          [[ $out == *@@READY@@* ]] && break
          (( i == 300 )) && { print -u2 "zsh did not start: $out"; exit 5 }
        done
        for line in "$@"; do
          zpty -w -n z "$line"$'\C-d'
          out=''
          for i in {1..300}; do
            if zpty -rt z chunk; then out+=$chunk; else sleep 0.1; fi
            # The list ends when zle redraws the prompt and the line below it.
            [[ ${out//$'\r'/} == *$'\n'"% $line"* ]] && break
            (( i == 300 )) && { print -u2 "no list for '$line': $out"; exit 6 }
          done
          zpty -w -n z $'\C-u'
          print -r -- "@@LINE@@ $line"
          print -r -- "$out"
        done
        zpty -d z
        """#

    /// What zsh lists for each command line (first column only).
    func zshCompletions(_ lines: [String]) throws -> [String: Set<String>] {
        let result = try Files.run(
            "zsh", ["-f", "-c", Self.zshDriver, "zsh", Files.path("completions")] + lines.map { "peft-perf " + $0 })
        #expect(result.status == 0, "\(result.stderr)")
        let screen = result.stdout.replacingOccurrences(of: "\r", with: "")
            .replacingOccurrences(of: #"\x1B\[[0-9;?]*[A-Za-z]"#, with: "", options: .regularExpression)
        var lists: [String: Set<String>] = [:]
        for block in screen.components(separatedBy: "@@LINE@@ peft-perf ").dropFirst() {
            var rows = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let line = rows.removeFirst()
            // Then the typed line, the list, and the prompt redrawn.
            var words: Set<String> = []
            for row in rows.dropFirst() where !row.hasPrefix("% ") {
                let columns = row.split(separator: " ").map(String.init)
                if row.contains(" -- ") {
                    if let first = columns.first { words.insert(first) }
                } else {
                    words.formUnion(columns)
                }
            }
            lists[line] = words
        }
        return lists
    }

    @Test(.enabled(if: hasZsh, "zsh is not installed (apt-get install zsh)"))
    func zshOffersTheOptionsOfEachCommand() throws {
        let lists = try zshCompletions(Self.leafNames.map { "\($0) --" })
        for command in Self.leafNames {
            #expect(lists["\(command) --"] == Self.expectedOptions(command), "\(command)")
        }
    }

    @Test(.enabled(if: hasZsh, "zsh is not installed (apt-get install zsh)"))
    func zshOffersCommandsAndSubcommands() throws {
        var lines: [String: (parent: String, children: Set<String>)] = [:]
        for (parent, children) in Files.children {
            let prefix = parent.isEmpty ? "" : parent + " "
            for line in [prefix, "-q " + prefix, "help " + prefix] { lines[line] = (parent, children) }
        }
        let lists = try zshCompletions(Array(lines.keys))
        for (line, expected) in lines {
            #expect(lists[line] == expected.children, "'peft-perf \(line)', below '\(expected.parent)'")
        }
    }

    @Test(.enabled(if: hasZsh, "zsh is not installed (apt-get install zsh)"))
    func zshOffersChoiceValues() throws {
        let line = { (choice: Choice) in
            (choice.command.isEmpty ? "" : choice.command + " ") + "--\(choice.option) "
        }
        let lists = try zshCompletions(Self.choices.map(line))
        for choice in Self.choices {
            #expect(lists[line(choice)] == choice.values, "\(choice.testDescription)")
        }
    }
}
