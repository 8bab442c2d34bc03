import Foundation
import Testing

@testable import peft_perf

/// Keeps the man page and the three completion files in step with
/// `CommandTable`, in both directions: whatever the table has must be
/// documented, and whatever is documented must exist.
///
/// Parsing rules, kept deliberately simple:
/// - man page: `.SS` headings under `COMMANDS` name the commands; the tag
///   line after each `.TP` lists option spellings (`\-c`, `\-\-name`), of
///   the command whose `.SS` it is under, or global under `OPTIONS`; every
///   `\-\-name` anywhere must be a real option.
/// - bash: the one-line branches `'path') subcommands='...' options='...' ;;`,
///   `_peft_perf_global_options='...'`, and `_peft_perf_takes_value`.
/// - zsh: quoted case labels (`('db slow')`) in `_peft_perf_command` and
///   `_peft_perf_subcommands`; option specs with their `[descriptions]`
///   removed; `'word:description'` entries for subcommands.
/// - fish: `complete` lines: `-n '__peft_perf_using PATH'` names the command,
///   `-l`/`-s` an option, `-a WORD` without `-l`/`-s` a subcommand.
/// - all files: every `--name` token must be an option of the table.
@Suite struct DocumentationConsistencyTests {
    typealias Files = DocumentationFiles

    // MARK: - Man page

    /// The man page, as sections of lines with escapes removed.
    struct ManPage {
        /// `.SS` heading → the option spellings of its `.TP` tags.
        var commandOptions: [String: Set<String>] = [:]
        /// Spellings of the `.TP` tags under `.SH OPTIONS`.
        var globalOptions: Set<String> = []
        /// `.SS` headings under `.SH COMMANDS`, in order.
        var commandHeadings: [String] = []
        /// The whole text, unescaped.
        var text = ""

        init(_ source: String) {
            var section = ""
            var heading: String?
            var tagNext = false
            for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
                let line = Self.unescape(String(rawLine))
                if line.hasPrefix(".\\\"") { continue }
                self.text += line + "\n"
                if line.hasPrefix(".SH ") {
                    section = Self.argument(of: line)
                    heading = nil
                    continue
                }
                if line.hasPrefix(".SS "), section == "COMMANDS" {
                    let name = Self.argument(of: line)
                    heading = name
                    self.commandHeadings.append(name)
                    self.commandOptions[name, default: []] = self.commandOptions[name] ?? []
                    continue
                }
                if line == ".TP" || line == ".TQ" {
                    tagNext = true
                    continue
                }
                if tagNext {
                    tagNext = false
                    let spellings = Files.longTokens(in: line).union(Files.shortTokens(in: line))
                    if section == "COMMANDS", let heading {
                        self.commandOptions[heading, default: []].formUnion(spellings)
                    } else if section == "OPTIONS" {
                        self.globalOptions.formUnion(spellings)
                    }
                }
            }
        }

        /// Removes font escapes and turns `\-` into `-`.
        static func unescape(_ line: String) -> String {
            var text = line.replacingOccurrences(of: "\\-", with: "-")
            for escape in ["\\fB", "\\fI", "\\fR", "\\fP", "\\(aq", "\\~", "\\&", "\\%"] {
                text = text.replacingOccurrences(of: escape, with: escape == "\\(aq" ? "'" : " ")
            }
            return text
        }

        /// `.SS "db slow"` → `db slow`.
        static func argument(of line: String) -> String {
            line.split(separator: " ", maxSplits: 1).dropFirst().joined()
                .trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
    }

    func manPage() throws -> ManPage {
        ManPage(try Files.read(Files.manPage))
    }

    @Test func manPageHasEveryCommandAndNoOther() throws {
        let man = try manPage()
        let leaves = Set(Files.leafCommands.map(\.name))
        #expect(Set(man.commandHeadings) == leaves, "\(Files.difference(Set(man.commandHeadings), leaves))")
        #expect(man.commandHeadings.count == Set(man.commandHeadings).count, "a command is described twice")
        // Groups are documented through their subcommands' headings.
        let prefixes = Set(
            man.commandHeadings.flatMap { heading in
                let words = heading.split(separator: " ").map(String.init)
                return (1...words.count).map { words.prefix($0).joined(separator: " ") }
            })
        #expect(prefixes == Files.commandPaths)
    }

    @Test(arguments: CommandTable.commands.filter { !$0.isGroup }.map(\.name))
    func manPageListsTheOptionsOfEachCommand(command: String) throws {
        let man = try manPage()
        let spec = try #require(CommandTable.command(command.split(separator: " ").map(String.init)))
        let documented = try #require(man.commandOptions[command], "no .SS \"\(command)\" under COMMANDS")
        let expected = Files.spellings(spec.options)
        #expect(documented == expected, "\(command): \(Files.difference(documented, expected))")
    }

    @Test func manPageListsTheGlobalOptions() throws {
        let documented = try manPage().globalOptions
        let expected = Files.spellings(CommandTable.globalOptions)
        #expect(documented == expected, "\(Files.difference(documented, expected))")
    }

    @Test func manPageMentionsOnlyRealOptions() throws {
        let unknown = Files.longTokens(in: try manPage().text).subtracting(Files.allLongOptions)
        #expect(unknown.isEmpty, "not in the command table: \(unknown.sorted())")
    }

    @Test func manPageHasTheRequiredSections() throws {
        let sections = Set(
            try Files.read(Files.manPage).split(separator: "\n")
                .filter { $0.hasPrefix(".SH ") }
                .map { ManPage.argument(of: String($0)) })
        for name in [
            "NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "ENVIRONMENT", "FILES", "EXIT STATUS",
            "EXAMPLES", "SEE ALSO",
        ] {
            #expect(sections.contains(name), "missing .SH \(name)")
        }
    }

    @Test(.enabled(if: DocumentationFiles.which("groff") != nil, "groff is not installed (apt-get install groff-base)"))
    func groffPrintsNothingForTheManPage() throws {
        let result = try Files.run("groff", ["-man", "-ww", "-z", Files.path(Files.manPage)])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "groff warned:\n\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    // MARK: - bash

    struct BashBranch {
        let subcommands: Set<String>
        let options: Set<String>
    }

    func bashBranches() throws -> [String: BashBranch] {
        let text = try Files.read(Files.bash)
        var branches: [String: BashBranch] = [:]
        let pattern = #"^\s*'([^']*)'\)\s*subcommands='([^']*)'\s*options='([^']*)'\s*;;"#
        for match in Files.allMatches(of: pattern, in: text) {
            branches[match[1]] = BashBranch(
                subcommands: Set(match[2].split(separator: " ").map(String.init)),
                options: Set(match[3].split(separator: " ").map(String.init)))
        }
        return branches
    }

    @Test func bashCompletionHasEveryCommandWithItsOptions() throws {
        let branches = try bashBranches()
        #expect(Set(branches.keys) == Files.commandPaths.union([""]))
        for command in CommandTable.commands {
            let branch = try #require(branches[command.name], "no branch '\(command.name)')")
            let expected = Files.spellings(command.options)
            #expect(
                branch.options == expected,
                "options of '\(command.name)': \(Files.difference(branch.options, expected))")
            #expect(branch.subcommands == Files.children[command.name] ?? [], "subcommands of '\(command.name)'")
        }
        #expect(branches[""]?.subcommands == Files.children[""])
    }

    @Test func bashCompletionHasTheGlobalOptionsAndTheValueOptions() throws {
        let text = try Files.read(Files.bash)
        let global = try #require(
            Files.allMatches(of: #"^_peft_perf_global_options='([^']*)'"#, in: text).first?[1])
        #expect(Set(global.split(separator: " ").map(String.init)) == Files.spellings(CommandTable.globalOptions))
        let body = try #require(
            Files.allMatches(of: #"_peft_perf_takes_value\(\) \{([^}]*)\n\}"#, in: text).first?[1])
        #expect(Files.longTokens(in: body).union(Files.shortTokens(in: body)) == Files.valueOptionSpellings)
    }

    // MARK: - zsh

    /// The lines under each quoted case label of each function.
    func zshBlocks() throws -> (functions: [String: String], labels: [String: [String: String]]) {
        var functions: [String: String] = [:]
        var labels: [String: [String: String]] = [:]
        var function: String?
        var label: String?
        for line in try Files.read(Files.zsh).split(separator: "\n").map(String.init) {
            if let name = Files.allMatches(of: #"^([_A-Za-z][\w-]*)\(\) \{"#, in: line).first?[1] {
                function = name
                continue
            }
            if line == "}" {
                function = nil
                continue
            }
            guard let function else { continue }
            functions[function, default: ""] += line + "\n"
            if let found = Files.allMatches(of: #"^\s*\('([^']*)'\)\s*$"#, in: line).first?[1] {
                label = found
                labels[function, default: [:]][found] = ""
                continue
            }
            if line.trimmingCharacters(in: .whitespaces) == ";;" {
                label = nil
                continue
            }
            if let label { labels[function, default: [:]][label, default: ""] += line + "\n" }
        }
        return (functions, labels)
    }

    /// Option spellings in zsh `_arguments` specs, descriptions removed.
    static func zshSpellings(_ specs: String) -> Set<String> {
        let bare = specs.replacingOccurrences(of: #"\[[^\]]*\]"#, with: "", options: .regularExpression)
        return Files.longTokens(in: bare).union(Files.shortTokens(in: bare))
    }

    @Test func zshCompletionHasEveryCommandWithItsOptions() throws {
        let blocks = try zshBlocks()
        let commands = try #require(blocks.labels["_peft_perf_command"])
        #expect(Set(commands.keys) == Set(Files.leafCommands.map(\.name)))
        for command in Files.leafCommands {
            let specs = try #require(commands[command.name], "no case '\(command.name)' in _peft_perf_command")
            let documented = Self.zshSpellings(specs)
            let expected = Files.spellings(command.options)
            #expect(
                documented == expected, "options of '\(command.name)': \(Files.difference(documented, expected))")
        }
        let subcommands = try #require(blocks.labels["_peft_perf_subcommands"])
        var offered: [String: Set<String>] = [:]
        for (label, body) in subcommands {
            offered[label] = Files.matches(of: #"^\s*'([a-z][a-z0-9-]*):"#, in: body, group: 1)
        }
        #expect(offered == Files.children)
    }

    @Test func zshCompletionHasTheGlobalOptions() throws {
        let specs = try #require(try zshBlocks().functions["_peft_perf_global_specs"])
        #expect(Self.zshSpellings(specs) == Files.spellings(CommandTable.globalOptions))
    }

    @Test func zshCompletionStartsWithCompdef() throws {
        #expect(try Files.read(Files.zsh).hasPrefix("#compdef peft-perf\n"))
    }

    // MARK: - fish

    struct FishCompletions {
        var global: Set<String> = []
        var commandOptions: [String: Set<String>] = [:]
        var subcommands: [String: Set<String>] = [:]

        init(_ text: String) {
            for line in text.split(separator: "\n").map(String.init) where line.hasPrefix("complete -c peft-perf ") {
                let condition = Files.allMatches(of: #"-n '__peft_perf_using ?([^']*)'"#, in: line).first?[1]
                let longs = Files.matches(of: #" -l (\S+)"#, in: line, group: 1).map { "--\($0)" }
                let shorts = Files.matches(of: #" -s (\S)(?=\s)"#, in: line, group: 1).map { "-\($0)" }
                let spellings = Set(longs + shorts)
                if !spellings.isEmpty {
                    if let condition {
                        self.commandOptions[condition, default: []].formUnion(spellings)
                    } else {
                        self.global.formUnion(spellings)
                    }
                } else if let condition,
                    let word = Files.allMatches(of: #" -a ([a-z][a-z0-9-]*)(?=\s|$)"#, in: line).first?[1]
                {
                    self.subcommands[condition, default: []].insert(word)
                }
            }
        }
    }

    @Test func fishCompletionHasEveryCommandWithItsOptions() throws {
        let fish = FishCompletions(try Files.read(Files.fish))
        #expect(fish.global == Files.spellings(CommandTable.globalOptions))
        let leafNames = Set(Files.leafCommands.map(\.name))
        let strays = Set(fish.commandOptions.keys).subtracting(leafNames)
        #expect(strays.isEmpty, "options for commands that do not exist: \(strays.sorted())")
        for command in Files.leafCommands {
            #expect(
                fish.commandOptions[command.name] ?? [] == Files.spellings(command.options),
                "options of '\(command.name)': \(Files.difference(fish.commandOptions[command.name] ?? [], Files.spellings(command.options)))"
            )
        }
        #expect(fish.subcommands == Files.children)
    }

    @Test func fishCompletionKnowsTheCommandTree() throws {
        let text = try Files.read(Files.fish)
        let body = try #require(
            Files.allMatches(of: #"function __peft_perf_children[^\n]*\n([\s\S]*?)\nend\n"#, in: text).first?[1])
        var children: [String: Set<String>] = [:]
        for match in Files.allMatches(of: #"case (\S+)\n\s*printf '%s\\n' ([^\n]*)"#, in: body) {
            let label = match[1] == "''" ? "" : match[1]
            children[label] = Set(match[2].split(separator: " ").map(String.init))
        }
        #expect(children == Files.children)
        let list = try #require(
            Files.allMatches(of: #"set -g __peft_perf_value_options((?:[^\n]*\\\n)*[^\n]*)"#, in: text).first?[1])
        #expect(Files.longTokens(in: list).union(Files.shortTokens(in: list)) == Files.valueOptionSpellings)
    }

    // MARK: - Every file

    @Test(arguments: [DocumentationFiles.bash, DocumentationFiles.zsh, DocumentationFiles.fish])
    func completionFileMentionsOnlyRealOptions(file: String) throws {
        let text = try Files.read(file)
        var mentioned = Files.longTokens(in: text)
        if file == Files.fish {
            mentioned.formUnion(
                Files.matches(of: #"^complete -c peft-perf.* -l (\S+)"#, in: text, group: 1).map { "--\($0)" })
        }
        let unknown = mentioned.subtracting(Files.allLongOptions)
        #expect(unknown.isEmpty, "\(file): not in the command table: \(unknown.sorted())")
        let missing = Files.allLongOptions.subtracting(mentioned)
        #expect(missing.isEmpty, "\(file): missing: \(missing.sorted())")
    }

    @Test(.enabled(if: DocumentationFiles.which("bash") != nil, "bash is not installed"))
    func bashCompletionParses() throws {
        let result = try Files.run("bash", ["-n", Files.path(Files.bash)])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test(.enabled(if: DocumentationFiles.which("zsh") != nil, "zsh is not installed (apt-get install zsh)"))
    func zshCompletionParses() throws {
        let result = try Files.run("zsh", ["-n", Files.path(Files.zsh)])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test(.enabled(if: DocumentationFiles.which("fish") != nil, "fish is not installed (apt-get install fish)"))
    func fishCompletionParses() throws {
        let result = try Files.run("fish", ["-n", Files.path(Files.fish)])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    }
}

/// The repository's documentation files, and what the command table says
/// they must contain.
enum DocumentationFiles {
    /// The repository root, found from this file's own path.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // PeftPerfCLITests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let manPage = "man/peft-perf.1"
    static let bash = "completions/peft-perf.bash"
    static let zsh = "completions/_peft-perf"
    static let fish = "completions/peft-perf.fish"

    static func path(_ relative: String) -> String {
        self.root.appendingPathComponent(relative).path
    }

    static func read(_ relative: String) throws -> String {
        try String(contentsOfFile: self.path(relative), encoding: .utf8)
    }

    // MARK: - What the command table says

    /// Every command path, groups included: `metrics`, `db`, `db slow`, ...
    static var commandPaths: Set<String> { Set(CommandTable.commands.map(\.name)) }

    /// The commands that run (not groups).
    static var leafCommands: [CommandSpec] { CommandTable.commands.filter { !$0.isGroup } }

    /// The subcommand words below each group, and below `""` (the top level).
    static var children: [String: Set<String>] {
        var result: [String: Set<String>] = ["": []]
        for command in CommandTable.commands {
            let parent = command.path.dropLast().joined(separator: " ")
            result[parent, default: []].insert(command.path.last ?? "")
        }
        return result
    }

    /// `--long` and `-s` spellings of `options`.
    static func spellings(_ options: [OptionSpec]) -> Set<String> {
        var result: Set<String> = []
        for option in options {
            result.insert("--\(option.long)")
            if let short = option.short { result.insert("-\(short)") }
        }
        return result
    }

    /// Every long option of the table, global or of any command.
    static var allLongOptions: Set<String> {
        Set((CommandTable.globalOptions + CommandTable.commands.flatMap(\.options)).map { "--\($0.long)" })
    }

    /// The spellings of every option that takes a value.
    static var valueOptionSpellings: Set<String> {
        self.spellings((CommandTable.globalOptions + CommandTable.commands.flatMap(\.options)).filter(\.takesValue))
    }

    /// "missing: [...]; not in the table: [...]", for failure messages.
    static func difference(_ documented: Set<String>, _ expected: Set<String>) -> String {
        "missing: \(expected.subtracting(documented).sorted()); "
            + "not in the command table: \(documented.subtracting(expected).sorted())"
    }

    // MARK: - Token rules

    /// `--name` tokens in `text`: a double dash, then letters, digits, dots
    /// and dashes, ending on a letter or digit (`--http1.1`, `--fail-on`).
    static func longTokens(in text: String) -> Set<String> {
        self.matches(of: #"(?<![\w-])--[a-z0-9][a-z0-9.-]*[a-z0-9]"#, in: text)
    }

    /// `-x` tokens: one dash and one letter, standing alone.
    static func shortTokens(in text: String) -> Set<String> {
        self.matches(of: #"(?<![\w-])-[A-Za-z](?![\w.-])"#, in: text)
    }

    static func matches(of pattern: String, in text: String, group: Int = 0) -> Set<String> {
        Set(self.allMatches(of: pattern, in: text).map { $0[group] })
    }

    /// Every match of `pattern` in `text`, as the list of its groups.
    static func allMatches(of pattern: String, in text: String) -> [[String]] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else {
            return []
        }
        let nsText = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: nsText.length)).map { match in
            (0..<match.numberOfRanges).map { index in
                let range = match.range(at: index)
                return range.location == NSNotFound ? "" : nsText.substring(with: range)
            }
        }
    }

    // MARK: - Tools

    /// The absolute path of `tool` on PATH, if it is installed.
    static func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    struct ToolResult {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `tool` with `arguments`; stdout and stderr go to temporary files
    /// so that neither pipe can fill up and block the child.
    static func run(_ tool: String, _ arguments: [String]) throws -> ToolResult {
        guard let executable = self.which(tool) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: tool])
        }
        let dir = try ScratchRoot.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout")
        let errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = self.root
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = dir.path
        environment["XDG_CONFIG_HOME"] = dir.path
        environment["XDG_DATA_HOME"] = dir.path
        environment["XDG_STATE_HOME"] = dir.path
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return ToolResult(
            status: process.terminationStatus,
            stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}
