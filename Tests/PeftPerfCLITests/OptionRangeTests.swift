import Foundation
import PeftPerfCore
import Testing

@testable import PeftPerfCLI

/// Every numeric option of every command, tried with hostile values.
///
/// The cases are generated from the command table, so an option added to it
/// is covered with no edit here. A value the table rejects must be a usage
/// error (exit 2) through the real binary; a value it accepts must build the
/// command's typed options, with every deadline, interval and window derived
/// from them, without trapping. Nothing here runs a command's load.
@Suite struct OptionRangeTests {
    /// One numeric option of one command, with one value.
    struct Case: Sendable, CustomTestStringConvertible {
        let command: [String]
        let option: String
        let value: String

        var argv: [String] { self.command + ["--\(self.option)", self.value] }
        var testDescription: String { self.argv.map { $0.isEmpty ? "''" : $0 }.joined(separator: " ") }
    }

    /// Values every numeric option is tried with, whatever its kind.
    static let hostileValues = [
        "0", "-1", "-0", String(Int.max), String(Int64.max) + "0", "1e308", "-1e308", "300000d",
        "9999999999999999999s", "9999999999999999999", "NaN", "nan", "inf", "-inf", "", " ", "0x10", "1_000",
        "1e3ms", "-5s", "-5%", "5000%", "1.5", "+1",
    ]

    /// The bounds of `kind`'s range and the values just outside them.
    static func boundaryValues(_ kind: ValueKind) -> [String] {
        switch kind {
        case .integer(let range):
            return [range.lowerBound, range.upperBound].map(String.init)
                + [String(range.lowerBound - 1), String(range.upperBound) + "1"]
        case .duration(let range):
            return [
                "\(range.lowerBound)s", "\(range.upperBound)s", "\(range.upperBound * 1.001)s",
                range.lowerBound > 0 ? "\(range.lowerBound / 2)s" : "-1ns",
            ]
        case .percentage(let range):
            return ["\(range.lowerBound * 100)%", "\(range.upperBound * 100)%", "\(range.upperBound * 100 + 1)%"]
        default:
            return []
        }
    }

    static var cases: [Case] {
        var cases: [Case] = []
        for command in CommandTable.commands where !command.isGroup && command.path != ["help"] {
            for option in command.options + CommandTable.globalOptions {
                guard let kind = option.kind, kind.isNumeric else { continue }
                for value in Self.hostileValues + Self.boundaryValues(kind) {
                    cases.append(Case(command: command.path, option: option.long, value: value))
                }
            }
        }
        return cases
    }

    /// The table's verdict on `c`: the usage error, or the parsed invocation.
    static func parse(_ c: Case) -> Result<ArgumentParser.Invocation, UsageError> {
        do {
            return .success(try ArgumentParser(version: "test").parse(c.argv))
        } catch let error as UsageError {
            return .failure(error)
        } catch {
            return .failure(UsageError("unexpected \(error)"))
        }
    }

    @Test func everyNumericOptionHasADocumentedRange() {
        for command in CommandTable.commands {
            for option in command.options + CommandTable.globalOptions {
                guard let kind = option.kind, kind.isNumeric else { continue }
                let help = HelpFormatter().help(for: command)
                #expect(kind.rangeDescription != nil, "--\(option.long) of \(command.name)")
                if let range = kind.rangeDescription, !command.isGroup {
                    #expect(help.contains("range: \(range)"), "help of \(command.name) lacks --\(option.long)'s range")
                }
            }
        }
    }

    @Test func theCasesCoverEveryNumericOption() {
        // Guards the generator itself: a table change that hid the options
        // from it would otherwise leave this suite passing on nothing.
        let options = Set(Self.cases.map { "\($0.command.joined(separator: " ")) --\($0.option)" })
        #expect(options.contains("bench --duration"))
        #expect(options.contains("system --interval"))
        #expect(options.contains("db stats --since"))
        #expect(options.contains("metrics --timeout"))
        #expect(options.count >= 30, "only \(options.count) numeric options found")
    }

    /// Accepted values build the command's options and their derived
    /// arithmetic in-process: a trap here kills the test process.
    @Test func acceptedValuesDeriveWithoutTrapping() throws {
        var accepted = 0
        for c in Self.cases {
            guard case .success(let invocation) = Self.parse(c) else { continue }
            accepted += 1
            let global = try GlobalOptions(
                arguments: invocation.arguments, command: invocation.command, environment: [:],
                stdoutIsTerminal: false)
            #expect(global.timeoutSeconds.isFinite && global.timeoutSeconds >= 0, "\(c.testDescription)")
            guard let type = invocation.command.optionsType else { continue }
            do {
                _ = try type.init(arguments: invocation.arguments, global: global)
            } catch let error as UsageError {
                // A combination the command refuses is fine, as long as it says so.
                #expect(!error.message.isEmpty, "\(c.testDescription)")
            }
            // The values the command would read back are the ones the table accepted.
            if let kind = invocation.command.options.first(where: { $0.long == c.option })?.kind
                ?? CommandTable.globalOptions.first(where: { $0.long == c.option })?.kind
            {
                switch kind {
                case .duration(let range):
                    let seconds = try #require(invocation.arguments.duration(c.option), "\(c.testDescription)")
                    #expect(range.contains(seconds), "\(c.testDescription)")
                case .integer(let range):
                    let n = try #require(invocation.arguments.int(c.option), "\(c.testDescription)")
                    #expect(range.contains(n), "\(c.testDescription)")
                case .percentage(let range):
                    let f = try #require(invocation.arguments.percentage(c.option), "\(c.testDescription)")
                    #expect(range.contains(f), "\(c.testDescription)")
                default:
                    break
                }
            }
        }
        #expect(accepted > 60, "only \(accepted) accepted cases")
    }

    /// Rejected values, through the binary: exit 2, a message naming the
    /// option, and never a signal.
    @Test func rejectedValuesAreUsageErrorsThroughTheBinary() throws {
        var rejected: [(Case, UsageError)] = []
        for c in Self.cases {
            if case .failure(let error) = Self.parse(c) { rejected.append((c, error)) }
        }
        #expect(rejected.count > 100, "only \(rejected.count) rejected cases")
        for (c, error) in rejected {
            // In-process: an out-of-range number says so, with the range.
            if let kind = (CommandTable.command(c.command)?.options ?? []).first(where: { $0.long == c.option })?.kind
                ?? CommandTable.globalOptions.first(where: { $0.long == c.option })?.kind,
                let range = kind.rangeDescription, error.message.contains("out of range")
            {
                #expect(error.message.contains("out of range (\(range))"), "\(c.testDescription): \(error.message)")
            }
            let result = try CLIHarness.run(c.argv, timeout: 30)
            #expect(!result.signaled, "\(c.testDescription) died from a signal")
            #expect(result.status == 2, "\(c.testDescription) exited \(result.status): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(c.testDescription) printed to stdout")
            #expect(
                result.stderr.hasPrefix("peft-perf: error: ") && result.stderr.contains(c.option),
                "\(c.testDescription): \(result.stderr)")
        }
    }

    /// Values well-known to have trapped before ranges: each must be refused
    /// as out of range, not as an unreadable number.
    @Test(arguments: [
        ["system", "--interval", "300000d"],
        ["bench", "-d", "300000d"],
        ["bench", "--warmup", "9999999999999999999s"],
        ["bench", "--timeout", "300000000000d"],
        ["db", "stats", "--since", "9999999999999999999s"],
        ["recommend", "--since", "9999999999999999999s"],
        ["bench", "-c", "-5"],
        ["bench", "-c", "99999999999999999999"],
    ])
    func formerTrapsAreOutOfRange(argv: [String]) throws {
        let result = try CLIHarness.run(argv, timeout: 30)
        #expect(!result.signaled)
        #expect(result.status == 2, "\(argv): \(result.stderr)")
        #expect(result.stderr.contains("out of range ("), "\(argv): \(result.stderr)")
    }
}

extension OptionRangeTests {
    /// The man page states each numeric option's range, in the section of
    /// the command that has it (the global options in OPTIONS).
    @Test func manPageStatesEveryRange() throws {
        let man = try String(contentsOfFile: DocumentationFiles.path("man/peft-perf.1"), encoding: .utf8)
        let lines = man.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func entry(_ option: String, inSectionTitled title: String) -> String? {
            guard let start = lines.firstIndex(of: title) else { return nil }
            var end = start + 1
            while end < lines.count, !lines[end].hasPrefix(".SS"), !lines[end].hasPrefix(".SH") { end += 1 }
            let spelled = "\\fB\\-\\-\(option.replacingOccurrences(of: "-", with: "\\-"))\\fR"
            guard let at = lines[start..<end].firstIndex(where: { $0.contains(spelled) && !$0.hasPrefix(".") })
            else { return nil }
            var stop = at + 1
            while stop < end, lines[stop] != ".TP" { stop += 1 }
            return lines[at..<stop].joined(separator: "\n")
        }
        func expected(_ kind: ValueKind) -> String? {
            guard let range = kind.rangeDescription else { return nil }
            let bounds = range.split(separator: "…").map { $0.replacingOccurrences(of: "-", with: "\\-") }
            return "Range: \(bounds[0]) to \(bounds[1])."
        }
        for command in CommandTable.commands where !command.isGroup {
            for option in command.options {
                guard let kind = option.kind, let text = expected(kind) else { continue }
                let found = entry(option.long, inSectionTitled: ".SS \"\(command.name)\"")
                #expect(found?.contains(text) == true, "man page, \(command.name) --\(option.long): no '\(text)'")
            }
        }
        for option in CommandTable.globalOptions {
            guard let kind = option.kind, let text = expected(kind) else { continue }
            let found = entry(option.long, inSectionTitled: ".SH OPTIONS")
            #expect(found?.contains(text) == true, "man page, global --\(option.long): no '\(text)'")
        }
    }
}
