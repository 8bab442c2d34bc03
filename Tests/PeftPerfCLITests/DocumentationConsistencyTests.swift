import Foundation
import Testing

@testable import PeftPerfCLI

/// What the generated-file diff (``GeneratedDocumentationTests``) cannot
/// see: the man page's hand-written prose and layout, and whether the tools
/// that read the generated files accept them.
///
/// A tool that is missing skips its test, naming it; under `CI=true`, where
/// `.ci/deps --test` installs them all, it is a failure instead.
@Suite struct DocumentationConsistencyTests {
    typealias Files = DocumentationFiles

    @Test func manPageHasTheRequiredSections() throws {
        let sections = Set(
            try Files.read(Files.manPage).split(separator: "\n")
                .filter { $0.hasPrefix(".SH ") }
                .map { Files.argument(of: String($0)) })
        for name in [
            "NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "ENVIRONMENT", "FILES", "EXIT STATUS",
            "EXAMPLES", "SEE ALSO",
        ] {
            #expect(sections.contains(name), "missing .SH \(name)")
        }
    }

    /// Every command that runs has its own `.SS` heading under COMMANDS, in
    /// table order, and its generated block sits under that heading; the
    /// global block sits under OPTIONS.
    @Test func manPageHasASectionForEveryCommandHoldingItsBlock() throws {
        var section = ""
        var heading: String?
        var headings: [String] = []
        for line in try Files.read(Files.manPage).split(separator: "\n").map(String.init) {
            if line.hasPrefix(".SH ") {
                section = Files.argument(of: line)
                heading = nil
            } else if line.hasPrefix(".SS "), section == "COMMANDS" {
                heading = Files.argument(of: line)
                headings.append(heading ?? "")
            } else if line.hasPrefix(ManPageGenerator.beginCommand) {
                let name = String(line.dropFirst(ManPageGenerator.beginCommand.count))
                #expect(
                    section == "COMMANDS" && heading == name, "the block of '\(name)' is under '\(heading ?? section)'")
            } else if line == ManPageGenerator.beginGlobal {
                #expect(section == "OPTIONS" && heading == nil, "the global block is under '\(heading ?? section)'")
            }
        }
        #expect(headings == Files.leafCommands.map(\.name))
    }

    /// The prose is hand-written: every `--option` it names must exist.
    @Test func manPageMentionsOnlyRealOptions() throws {
        let text = try Files.read(Files.manPage).split(separator: "\n")
            .filter { !$0.hasPrefix(".\\\"") }
            .map { Files.unescapeRoff(String($0)) }
            .joined(separator: "\n")
        let unknown = Files.longTokens(in: text).subtracting(Files.allLongOptions)
        #expect(unknown.isEmpty, "not in the command table: \(unknown.sorted())")
    }

    @Test(.enabled(if: Files.toolIsAvailableOrRequired("groff"), "groff is not installed (apt-get install groff-base)"))
    func groffPrintsNothingForTheManPage() throws {
        let result = try Files.run("groff", ["-man", "-ww", "-z", Files.path(Files.manPage)])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "groff warned:\n\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test(.enabled(if: Files.toolIsAvailableOrRequired("bash"), "bash is not installed"))
    func bashCompletionParses() throws {
        let result = try Files.run("bash", ["-n", Files.path(Files.bash)])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test(.enabled(if: Files.toolIsAvailableOrRequired("zsh"), "zsh is not installed (apt-get install zsh)"))
    func zshCompletionParses() throws {
        let result = try Files.run("zsh", ["-n", Files.path(Files.zsh)])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test(.enabled(if: Files.toolIsAvailableOrRequired("fish"), "fish is not installed (apt-get install fish)"))
    func fishCompletionParses() throws {
        let result = try Files.run("fish", ["-n", Files.path(Files.fish)])
        #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    }
}

/// The repository's documentation files, what the command table says about
/// them, and the tools that read them.
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
    /// The files `peft-perf __generate` writes, wholly or in part.
    static let generatedFiles = [manPage, bash, zsh, fish]

    static func path(_ relative: String) -> String {
        self.root.appendingPathComponent(relative).path
    }

    static func read(_ relative: String) throws -> String {
        try String(contentsOfFile: self.path(relative), encoding: .utf8)
    }

    // MARK: - What the command table says

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

    /// Every long option of the table, global or of any command.
    static var allLongOptions: Set<String> {
        Set((CommandTable.globalOptions + CommandTable.commands.flatMap(\.options)).map { "--\($0.long)" })
    }

    // MARK: - Text

    /// `.SS "db slow"` → `db slow`.
    static func argument(of line: String) -> String {
        line.split(separator: " ", maxSplits: 1).dropFirst().joined()
            .trimmingCharacters(in: .whitespaces)
            .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// Removes roff's font escapes and turns `\-` into `-`.
    static func unescapeRoff(_ line: String) -> String {
        var text = line.replacingOccurrences(of: "\\-", with: "-")
        for escape in ["\\fB", "\\fI", "\\fR", "\\fP", "\\(aq", "\\~", "\\&", "\\%"] {
            text = text.replacingOccurrences(of: escape, with: escape == "\\(aq" ? "'" : " ")
        }
        return text
    }

    /// `--name` tokens in `text`: a double dash, then letters, digits, dots
    /// and dashes, ending on a letter or digit (`--http1.1`, `--fail-on`).
    static func longTokens(in text: String) -> Set<String> {
        guard let regex = try? NSRegularExpression(pattern: #"(?<![\w-])--[a-z0-9][a-z0-9.-]*[a-z0-9]"#) else {
            return []
        }
        let nsText = text as NSString
        return Set(
            regex.matches(in: text, range: NSRange(location: 0, length: nsText.length)).map {
                nsText.substring(with: $0.range)
            })
    }

    // MARK: - Tools

    /// Whether a test that needs `tool` should run: when it is installed,
    /// and under `CI=true` even when it is not, so that it fails there.
    static func toolIsAvailableOrRequired(_ tool: String) -> Bool {
        RequiredTool.shouldRun(ExternalTool.which(tool) != nil)
    }

    /// Runs `tool` with `arguments` in the repository root, with a scratch
    /// `HOME` and XDG directories so that no user configuration is read or
    /// written. A missing tool is a failure (the caller's test is enabled
    /// only when the tool is installed, or under `CI=true`).
    static func run(_ tool: String, _ arguments: [String]) throws -> ExternalTool.Output {
        let executable = try #require(
            ExternalTool.which(tool), "\(tool) is not installed, and CI=true requires it (.ci/deps --test installs it)")
        let dir = try ScratchRoot.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var environment = ProcessInfo.processInfo.environment
        for name in ["HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"] {
            environment[name] = dir.path
        }
        // ExternalTool has no working-directory parameter: `sh` changes into
        // the root, then becomes the tool.
        return try ExternalTool.run(
            "/bin/sh", ["-c", #"cd "$1" && shift && exec "$@""#, "sh", self.root.path, executable] + arguments,
            input: nil, environment: environment)
    }
}
