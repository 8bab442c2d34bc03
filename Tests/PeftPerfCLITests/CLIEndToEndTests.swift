import Foundation
import Testing

/// Runs the built binary and checks stdout, stderr and the exit status.
@Suite struct CLIEndToEndTests {
    @Test func helpGoesToStdoutAndExitsZero() throws {
        let result = try CLIHarness.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("OVERVIEW:"))
        #expect(result.stdout.contains("SUBCOMMANDS:"))
        #expect(result.stderr.isEmpty)
    }

    @Test(arguments: [["help", "db", "slow"], ["db", "slow", "--help"], ["db", "slow", "-h"]])
    func commandHelpAgreesEverywhere(argv: [String]) throws {
        let result = try CLIHarness.run(argv)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: peft-perf db slow [OPTIONS]"))
        #expect(result.stdout.contains("--threshold DURATION"))
    }

    @Test func versionPrintsToStdout() throws {
        let result = try CLIHarness.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("peft-perf "))
        #expect(result.stderr.isEmpty)
    }

    @Test func unknownCommandExitsTwoWithSuggestion() throws {
        let result = try CLIHarness.run(["sytem"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("peft-perf: error: unknown command 'sytem'"))
        #expect(result.stderr.contains("did you mean 'system'?"))
    }

    @Test func malformedValueExitsTwoNamingFlagAndValue() throws {
        let result = try CLIHarness.run(["system", "--interval", "abc"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--interval"))
        #expect(result.stderr.contains("'abc'"))
    }

    @Test func unsupportedFormatExitsTwo() throws {
        let result = try CLIHarness.run(["cache", "clear", "--format", "prometheus"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("does not support --format prometheus"))
    }

    @Test func quietHidesHints() throws {
        let result = try CLIHarness.run(["-q", "sytem"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("error: unknown command"))
        #expect(!result.stderr.contains("did you mean"))
    }

    @Test func outputToADirectoryIsRefused() throws {
        let dir = try ScratchRoot.directory()
        let result = try CLIHarness.run(["help", "-o", dir.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is a directory"))
    }

    @Test func outputFileIsWrittenWhole() throws {
        let dir = try ScratchRoot.directory()
        let file = dir.appendingPathComponent("help.txt")
        let result = try CLIHarness.run(["help", "system", "--output", file.path])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(written.contains("USAGE: peft-perf system"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(leftovers == ["help.txt"])
    }

    @Test func outputIntoAMissingDirectoryFailsEarly() throws {
        let result = try CLIHarness.run(["help", "-o", "/nonexistent-dir-xyz/out.txt"])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "peft-perf: error: --output '/nonexistent-dir-xyz/out.txt': cannot create a file in '/nonexistent-dir-xyz'"
            ))
    }
}
