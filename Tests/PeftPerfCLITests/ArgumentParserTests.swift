import Testing

@testable import PeftPerfCLI

@Suite struct ArgumentParserTests {
    let parser = ArgumentParser(version: "test")

    func usageError(_ argv: [String]) -> UsageError? {
        do {
            _ = try parser.parse(argv)
            return nil
        } catch let error as UsageError {
            return error
        } catch {
            return nil
        }
    }

    @Test func findsLongestCommandPath() throws {
        let invocation = try parser.parse(["db", "slow", "--limit", "3"])
        #expect(invocation.command.path == ["db", "slow"])
        #expect(invocation.arguments.int("limit") == 3)
    }

    @Test func acceptsInlineValuesAndGlobalOptionsOnEitherSide() throws {
        let invocation = try parser.parse(["--db=app.db", "db", "slow", "--threshold=250ms", "--json"])
        #expect(invocation.arguments.string("db") == "app.db")
        #expect(invocation.arguments.duration("threshold") == 0.25)
        #expect(invocation.arguments.flag("json"))
    }

    @Test func lastValueWinsForNonRepeatableOptions() throws {
        let invocation = try parser.parse(["system", "--interval", "1s", "--interval", "2s"])
        #expect(invocation.arguments.duration("interval") == 2)
    }

    @Test func repeatableOptionsCollectEveryValue() throws {
        let invocation = try parser.parse([
            "bench", "--url", "http://127.0.0.1:1/a", "--url=http://127.0.0.1:1/b", "--assert", "p99<1s",
        ])
        #expect(invocation.arguments.strings("url") == ["http://127.0.0.1:1/a", "http://127.0.0.1:1/b"])
        #expect(invocation.arguments.strings("assert") == ["p99<1s"])
    }

    @Test func shortFlagsClusterAndTakeAttachedValues() throws {
        let invocation = try parser.parse(["bench", "-qc64", "-t", "4", "-H", "X-A: 1"])
        #expect(invocation.arguments.flag("quiet"))
        #expect(invocation.arguments.int("concurrency") == 64)
        #expect(invocation.arguments.int("threads") == 4)
        #expect(invocation.arguments.strings("header") == ["X-A: 1"])
    }

    @Test func doubleDashEndsOptions() throws {
        let invocation = try parser.parse(["record", "--", "--weird-file-name"])
        #expect(invocation.arguments.positionals == ["--weird-file-name"])
    }

    @Test func unknownCommandSuggestsTheClosest() {
        let error = usageError(["sytem"])
        #expect(error?.message == "unknown command 'sytem'")
        #expect(error?.hint == "did you mean 'system'?")
    }

    @Test func unknownOptionSuggestsTheClosest() {
        let error = usageError(["db", "slow", "--limt", "3"])
        #expect(error?.message == "unknown option '--limt'")
        #expect(error?.hint == "did you mean '--limit'?")
    }

    @Test(arguments: [
        (["system", "--interval"], "option --interval needs a value (DURATION)"),
        (["system", "--interval", "10"], "invalid value '10' for --interval: '10' has no unit (use 10ms, 10s or 10m)"),
        (
            ["bench", "--max-regression", "10"],
            "invalid value '10' for --max-regression: '10' is ambiguous: write 10% for a percentage, or a fraction from 0 to 1"
        ),
        (["bench", "-c", "x"], "invalid value 'x' for -c: 'x' is not a whole number"),
        (["system", "--json=yes"], "option --json does not take a value (got 'yes')"),
        (
            ["--color", "sometimes", "system"],
            "invalid value 'sometimes' for --color: 'sometimes' is not one of: auto, always, never"
        ),
        (["db"], "'db' needs a subcommand: stats, slow, optimize"),
        ([], "no command given"),
        (["system", "extra"], "unexpected argument 'extra' for 'system'"),
    ])
    func reportsUsageErrorsNamingTheFlagAndValue(argv: [String], message: String) {
        #expect(usageError(argv)?.message == message)
    }

    @Test func rejectsNonHTTPSchemesAndHidesCredentials() {
        let error = usageError(["bench", "--url", "ftp://user:secret@example.com/x"])
        #expect(error?.message.contains("scheme 'ftp' is not supported") == true)
        #expect(error?.message.contains("secret") == false)
    }

    @Test func helpWinsOverOtherErrors() {
        #expect(throws: CleanExit.self) { try parser.parse(["db", "slow", "--bogus", "--help"]) }
    }

    @Test func helpForAGroupListsItsSubcommands() throws {
        do {
            _ = try parser.parse(["cache", "--help"])
            Issue.record("expected CleanExit")
        } catch let exit as CleanExit {
            #expect(exit.text.contains("stats"))
            #expect(exit.text.contains("clear"))
        }
    }

    @Test func helpLinesFitIn79Columns() {
        let formatter = HelpFormatter()
        var texts = [formatter.rootHelp()]
        texts += CommandTable.commands.map { formatter.help(for: $0) }
        for text in texts {
            for line in text.split(separator: "\n") {
                #expect(line.count <= 79, "too long: \(line)")
            }
        }
    }

    @Test func globalAndCommandOptionNamesNeverCollide() {
        let globals = Set(CommandTable.globalOptions.map(\.long))
        for command in CommandTable.commands {
            let names = command.options.map(\.long)
            #expect(Set(names).count == names.count, "duplicate option in \(command.name)")
            #expect(globals.isDisjoint(with: names), "\(command.name) shadows a global option")
            let shorts = command.options.compactMap(\.short) + CommandTable.globalOptions.compactMap(\.short)
            #expect(Set(shorts).count == shorts.count, "duplicate short flag in \(command.name)")
        }
    }
}

@Suite struct GlobalOptionsTests {
    func resolve(_ argv: [String], env: [String: String] = [:], tty: Bool = false) throws -> GlobalOptions {
        let invocation = try ArgumentParser(version: "t").parse(argv)
        return try GlobalOptions(
            arguments: invocation.arguments, command: invocation.command, environment: env, stdoutIsTerminal: tty)
    }

    @Test func commandLineBeatsEnvironment() throws {
        let options = try resolve(["--db", "cli.db", "system"], env: ["PEFT_PERF_DB": "env.db"])
        #expect(options.db == "cli.db")
        #expect(try resolve(["system"], env: ["PEFT_PERF_DB": "env.db"]).db == "env.db")
    }

    @Test func urlsComeFromTheEnvironmentCommaSeparated() throws {
        let options = try resolve(["system"], env: ["PEFT_PERF_URLS": "http://127.0.0.1:1/a, http://127.0.0.1:1/b"])
        #expect(options.urls == ["http://127.0.0.1:1/a", "http://127.0.0.1:1/b"])
        #expect(throws: UsageError.self) { try resolve(["system"], env: ["PEFT_PERF_URLS": "file:///etc/passwd"]) }
    }

    @Test func storeDefaultsToXDGStateHome() throws {
        #expect(try resolve(["system"], env: ["XDG_STATE_HOME": "/s"]).store == "/s/peft-perf/store.sqlite")
        #expect(try resolve(["system"], env: ["HOME": "/h"]).store == "/h/.local/state/peft-perf/store.sqlite")
    }

    @Test func lastOfJSONAndFormatWins() throws {
        #expect(try resolve(["system", "--json", "--format", "table"]).format == .table)
        #expect(try resolve(["system", "--format", "table", "--json"]).format == .json)
    }

    @Test func unsupportedFormatIsAUsageError() {
        #expect(throws: UsageError.self) { try resolve(["cache", "clear", "--format", "prometheus"]) }
    }

    @Test func colorAutoHonoursTTYAndNoColor() throws {
        #expect(try resolve(["system"], tty: true).useColor)
        #expect(try !resolve(["system"], tty: false).useColor)
        #expect(try !resolve(["system"], env: ["NO_COLOR": "1"], tty: true).useColor)
        #expect(try resolve(["system"], env: ["NO_COLOR": ""], tty: true).useColor)
        #expect(try !resolve(["system"], env: ["TERM": "dumb"], tty: true).useColor)
        #expect(try resolve(["--color", "always", "system"]).useColor)
    }
}
