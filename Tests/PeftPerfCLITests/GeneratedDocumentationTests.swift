import Foundation
import Testing

@testable import PeftPerfCLI

/// The man page's OPTIONS entries and the three completion scripts are
/// generated from the command table (`peft-perf __generate`); these tests
/// fail when a committed file differs from a fresh generation, and
/// `RECORD_SNAPSHOTS=1` rewrites them. `--help` of every command is checked
/// against committed snapshots the same way.
///
/// Regenerate everything: `RECORD_SNAPSHOTS=1 swift test --filter GeneratedDocumentationTests`.
@Suite struct GeneratedDocumentationTests {
    static let regenerateAll = "RECORD_SNAPSHOTS=1 swift test --filter GeneratedDocumentationTests"

    /// The targets whose output is committed.
    static let committedTargets = DocumentationTarget.allCases.filter { $0.committedPath != nil }

    static func generate(_ target: DocumentationTarget) throws -> String {
        try target.generate(currentManPage: try DocumentationFiles.read(DocumentationFiles.manPage))
    }

    @Test(arguments: committedTargets)
    func committedFileMatchesAFreshGeneration(target: DocumentationTarget) throws {
        let path = try #require(target.committedPath)
        Snapshot.expect(
            try Self.generate(target), matchesFileAt: path,
            regenerate: "'swift run peft-perf __generate \(target.rawValue) -o \(path)' or '\(Self.regenerateAll)'")
    }

    @Test func everyTargetIsGeneratedOrCommitted() {
        // Guards the list above: a new target must say where it is committed,
        // or be man-options, which only prints the blocks.
        #expect(Set(DocumentationTarget.allCases.map(\.rawValue)) == ["man-options", "man", "bash", "zsh", "fish"])
        #expect(Set(Self.committedTargets.compactMap(\.committedPath)) == Set(DocumentationFiles.generatedFiles))
    }

    // MARK: - The man page's blocks

    @Test func manOptionsAreExactlyTheBlocksOfTheManPage() throws {
        let page = try Self.generate(.man)
        let blocks = ManPageGenerator().optionBlocks()
        var rest = Substring(page)
        // Each block appears in the page, in table order.
        for block in blocks.split(separator: "\n.\\\" END GENERATED OPTIONS\n").map({
            $0 + "\n.\\\" END GENERATED OPTIONS\n"
        }) {
            let found = try #require(rest.range(of: block), "block not in the page:\n\(block.prefix(200))")
            rest = rest[found.upperBound...]
        }
        #expect(try Self.generate(.manOptions) == blocks)
    }

    @Test func regeneratingTheManPageChangesNothingMore() throws {
        let once = try Self.generate(.man)
        #expect(try ManPageGenerator().replacingBlocks(in: once) == once)
    }

    @Test func everyOptionHasAnEntryWithItsDefaultAndRange() {
        let generator = ManPageGenerator()
        for command in generator.commands {
            let block = generator.block(for: command)
            for option in command.options {
                let entry = generator.entry(option)
                #expect(block.contains(entry), "\(command.name) --\(option.long)")
                #expect(entry.contains(generator.tag(option)))
                if option.shownDefault != nil {
                    #expect(entry.contains("\nDefault: "), "\(command.name) --\(option.long)")
                }
                if option.kind?.rangeDescription != nil {
                    #expect(entry.contains("\nRange: "), "\(command.name) --\(option.long)")
                }
            }
        }
    }

    /// One way of breaking the page's markers.
    struct BrokenPage: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let edit: @Sendable (String) -> String
    }

    static let brokenPages = [
        BrokenPage(testDescription: "no blocks at all") { page in
            page.split(separator: "\n").filter { !$0.contains("GENERATED") }.joined(separator: "\n")
        },
        BrokenPage(testDescription: "a block for an unknown command") { page in
            page.replacingOccurrences(of: "OPTIONS: db slow\n", with: "OPTIONS: db slo\n")
        },
        BrokenPage(testDescription: "a block without its end") { page in
            page.replacingOccurrences(of: ".\\\" END GENERATED OPTIONS\n.SS \"db slow\"", with: ".SS \"db slow\"")
        },
        BrokenPage(testDescription: "a block twice") { page in
            page + ".\\\" BEGIN GENERATED OPTIONS: help\n.\\\" END GENERATED OPTIONS\n"
        },
    ]

    /// Broken markers are reported, never silently dropped.
    @Test(arguments: brokenPages)
    func brokenMarkersAreErrors(broken: BrokenPage) throws {
        let page = try Self.generate(.man)
        let damaged = broken.edit(page)
        #expect(damaged != page, "the edit changed nothing")
        #expect(throws: ManPageGenerator.MarkerError.self) {
            try ManPageGenerator().replacingBlocks(in: damaged)
        }
    }

    // MARK: - The hidden command

    @Test func generateIsHiddenEverywhere() throws {
        #expect(CommandTable.command(["__generate"]) != nil)
        #expect(!CommandTable.commands.contains { $0.name.contains("__generate") })
        #expect(!HelpFormatter().rootHelp().contains("__generate"))
        // Outside comments, which name it as the file's generator.
        for path in DocumentationFiles.generatedFiles {
            let text = try DocumentationFiles.read(path).split(separator: "\n")
                .filter { !$0.hasPrefix("#") && !$0.hasPrefix(".\\\"") }
            #expect(!text.contains { $0.contains("__generate") }, "\(path) offers __generate")
        }
        let help = try CLIHarness.run(["help"])
        #expect(!help.stdout.contains("__generate"))
    }

    @Test(arguments: committedTargets + [.manOptions])
    func theBinaryPrintsWhatTheGeneratorMakes(target: DocumentationTarget) throws {
        var argv = ["__generate", target.rawValue]
        if target == .man { argv.append(DocumentationFiles.path(DocumentationFiles.manPage)) }
        let result = try CLIHarness.run(argv)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == (try Self.generate(target)))
    }

    @Test(arguments: [
        ["__generate"], ["__generate", "roff"], ["__generate", "bash", "extra"],
    ])
    func badGenerateInvocationsAreUsageErrors(argv: [String]) throws {
        let result = try CLIHarness.run(argv)
        #expect(result.status == 2, "\(argv): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("peft-perf: error: "), "\(result.stderr)")
    }

    @Test func aMissingPageIsAFailure() throws {
        let result = try CLIHarness.run(["__generate", "man", "/nonexistent/peft-perf.1"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("cannot read the man page '/nonexistent/peft-perf.1'"), "\(result.stderr)")
    }

    /// `__generate man > man/peft-perf.1` empties the page before it is read.
    @Test func anEmptiedPageIsAFailureThatSaysWhy() throws {
        let dir = try ScratchRoot.directory()
        let page = dir.appendingPathComponent("page.1").path
        try "".write(toFile: page, atomically: true, encoding: .utf8)
        let result = try CLIHarness.run(["__generate", "man", page])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("write with -o"), "\(result.stderr)")
    }

    @Test func aPageWithoutMarkersFailsWithoutWritingTheOutput() throws {
        let dir = try ScratchRoot.directory()
        let page = dir.appendingPathComponent("page.1").path
        let output = dir.appendingPathComponent("out.1").path
        try ".TH X 1\n.SH NAME\nx\n".write(toFile: page, atomically: true, encoding: .utf8)
        let result = try CLIHarness.run(["__generate", "man", page, "-o", output])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("no generated block"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    // MARK: - --help snapshots

    /// The root help and every command's, groups included: a new command
    /// gets a snapshot with no edit here.
    struct HelpPage: Sendable, CustomTestStringConvertible {
        let path: [String]
        var file: String {
            "Tests/PeftPerfCLITests/Snapshots/help/\(self.path.isEmpty ? "peft-perf" : self.path.joined(separator: "-")).txt"
        }
        var testDescription: String {
            self.path.isEmpty ? "peft-perf --help" : "peft-perf \(self.path.joined(separator: " ")) --help"
        }
    }

    static let helpPages = [HelpPage(path: [])] + CommandTable.commands.map { HelpPage(path: $0.path) }

    @Test(arguments: helpPages)
    func helpMatchesItsSnapshot(page: HelpPage) throws {
        let text = HelpFormatter().help(for: page.path.isEmpty ? nil : CommandTable.command(page.path))
        Snapshot.expect(text, matchesFileAt: page.file, regenerate: "'\(Self.regenerateAll)'")
        // The snapshot is what the binary prints.
        let result = try CLIHarness.run(page.path + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout == text)
    }

    @Test func noSnapshotIsLeftFromARemovedCommand() throws {
        let directory = DocumentationFiles.root.appendingPathComponent("Tests/PeftPerfCLITests/Snapshots/help")
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        let expected = Set(Self.helpPages.map { URL(fileURLWithPath: $0.file).lastPathComponent })
        let strays = files.subtracting(expected)
        if Snapshot.isRecording {
            for stray in strays { try FileManager.default.removeItem(at: directory.appendingPathComponent(stray)) }
        }
        #expect(strays.isEmpty, "snapshots of no command (deleted under RECORD_SNAPSHOTS=1): \(strays.sorted())")
    }
}
