// The libFuzzer target FuzzArgumentParser: the argument parser, the command
// table and the steps that follow a parse, from the PeftPerfCLI library.
import FuzzSupport
import PeftPerfCore

@testable import PeftPerfCLI

/// libFuzzer entry point for the argument parser.
///
/// The input is split into argv at NUL bytes when it has any, otherwise at
/// newlines (one trailing separator ends the last argument and does not
/// add an empty one). An input with a piece that is not valid UTF-8 is
/// dropped, as the real `main` refuses such an argument before parsing.
/// The parser must return or throw its documented errors, never trap, and
/// every step that follows a parse before any I/O (global options against
/// a fixed environment, help, the typed accessors) must hold its
/// invariants. No command handler ever runs.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzArgumentParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let argv = ArgumentParserFuzzing.argv(UnsafeBufferPointer(start: data, count: size)) else {
        return -1
    }
    ArgumentParserFuzzing.check(argv)
    return 0
}

/// SwiftPM links an executable with `main` aliased to `<Target>_main`,
/// which would shadow libFuzzer's own `main`; so this entry point hands
/// control to libFuzzer's driver explicitly, as the targets under Fuzz/ do.
@_cdecl("FuzzArgumentParser_main")
func fuzzArgumentParserMain(
    _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzArgumentParser)
}

/// The checks behind FuzzArgumentParser.
enum ArgumentParserFuzzing {
    /// A fixed, fake environment: the store default and `--color auto`
    /// read it, and nothing here may reach the real one.
    static let environment = [
        "HOME": "/home/fuzz", "TERM": "xterm", "PEFT_PERF_URLS": "http://127.0.0.1:9/a, https://[::1]:9/b",
    ]

    /// Every help text `--help` or `help` may print, each line within 79
    /// columns: the root's, and each command's and group's.
    static let helpTexts: Set<String> = {
        let texts = [HelpFormatter().rootHelp()] + CommandTable.commands.map { HelpFormatter().help(for: $0) }
        for text in texts {
            for line in text.split(separator: "\n") {
                precondition(line.count <= HelpFormatter.width, "help line over 79 columns: \(line)")
            }
        }
        return Set(texts)
    }()

    /// What one parse came to, comparable between two runs.
    enum Outcome: Equatable {
        case invocation(path: [String], occurrences: [Occurrence], positionals: [String])
        case cleanExit(String)
        case usage(message: String, hint: String?)
    }

    struct Occurrence: Equatable {
        let name: String
        let value: String?
    }

    /// Splits `bytes` into arguments; nil when one is not valid UTF-8.
    static func argv(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        if bytes.isEmpty { return [] }
        let separator: UInt8 = bytes.contains(0) ? 0 : UInt8(ascii: "\n")
        var pieces = bytes.split(separator: separator, omittingEmptySubsequences: false)
        if bytes.last == separator { pieces.removeLast() }
        var result: [String] = []
        result.reserveCapacity(pieces.count)
        for piece in pieces {
            guard let argument = String(validating: piece, as: UTF8.self) else { return nil }
            result.append(argument)
        }
        return result
    }

    /// Parses `argv`, classifying the outcome. Any error other than the
    /// documented two is a failure.
    static func parse(_ argv: [String]) -> (Outcome, ArgumentParser.Invocation?) {
        do {
            let invocation = try ArgumentParser(version: "fuzz").parse(argv)
            let occurrences = invocation.arguments.occurrences.map { Occurrence(name: $0.name, value: $0.value) }
            let outcome = Outcome.invocation(
                path: invocation.command.path, occurrences: occurrences,
                positionals: invocation.arguments.positionals)
            return (outcome, invocation)
        } catch let exit as CleanExit {
            return (.cleanExit(exit.text), nil)
        } catch let error as UsageError {
            return (.usage(message: error.message, hint: error.hint), nil)
        } catch {
            preconditionFailure("parse(\(argv)) threw an undocumented error: \(error)")
        }
    }

    static func check(_ argv: [String]) {
        let (outcome, invocation) = self.parse(argv)
        let (again, _) = self.parse(argv)
        precondition(outcome == again, "parsing \(argv) twice gave \(outcome) then \(again)")
        switch outcome {
        case .usage(let message, let hint):
            precondition(!message.isEmpty, "empty usage error for \(argv)")
            precondition(hint.map { !$0.isEmpty } ?? true, "empty hint for \(argv)")
            for secret in self.secrets(in: argv) {
                precondition(
                    !message.contains(secret) && !(hint?.contains(secret) ?? false),
                    "usage error for \(argv) shows the credentials \(secret): \(message) / \(hint ?? "")")
            }
        case .cleanExit(let text):
            self.checkCleanExit(text, argv: argv)
        case .invocation:
            guard let invocation else { preconditionFailure("no invocation for \(argv)") }
            self.checkInvocation(invocation, outcome: outcome, argv: argv)
        }
    }

    /// `--version` prints one line; `--help` prints the help of the root,
    /// a group or a command, within 79 columns.
    static func checkCleanExit(_ text: String, argv: [String]) {
        precondition(argv.contains { $0.hasPrefix("-") }, "clean exit without an option in \(argv)")
        if text == "peft-perf fuzz\n" { return }
        let known = self.helpTexts.contains(text)
        precondition(known, "clean exit for \(argv) is neither the version nor a help text: \(text)")
    }

    static func checkInvocation(_ invocation: ArgumentParser.Invocation, outcome: Outcome, argv: [String]) {
        let command = invocation.command
        let arguments = invocation.arguments
        guard let listed = CommandTable.command(command.path) else {
            preconditionFailure("parse(\(argv)) named \(command.name), which is not in the command table")
        }
        precondition(listed.name == command.name && !command.isGroup, "\(argv) parsed to the group \(command.name)")

        let options = command.options + CommandTable.globalOptions
        for occurrence in arguments.occurrences {
            guard let spec = options.first(where: { $0.long == occurrence.name }) else {
                preconditionFailure("\(argv) gave --\(occurrence.name), which '\(command.name)' does not take")
            }
            precondition(spec.long != "help" && spec.long != "version", "\(argv) parsed with --\(spec.long)")
            precondition(
                spec.takesValue == (occurrence.value != nil),
                "\(argv): --\(spec.long) has value \(occurrence.value ?? "nil")")
            if let value = occurrence.value, let kind = spec.kind {
                precondition(kind.problem(with: value) == nil, "\(argv): --\(spec.long) kept the invalid \(value)")
            }
        }
        for spec in options {
            self.checkAccessors(spec, arguments, argv: argv)
        }
        self.checkPositionals(arguments.positionals, command: command, argv: argv)
        self.checkCanonicalForm(invocation, outcome: outcome, argv: argv)
        self.checkGlobalOptions(invocation, argv: argv)
        self.checkConversions(arguments, argv: argv)

        let help = HelpFormatter().help(for: command)
        precondition(help.hasPrefix("OVERVIEW: \(command.abstract)\n"), "help of \(command.name)")
        precondition(self.helpTexts.contains(help), "help of \(command.name) changed between renderings")
        if command.path == ["help"] {
            // What `help WORDS` shows, without running its handler.
            let words = arguments.positionals
            let shown =
                words.isEmpty ? HelpFormatter().rootHelp() : CommandTable.command(words).map(HelpFormatter().help)
            if let shown { precondition(self.helpTexts.contains(shown), "help \(words) (\(argv))") }
            if let near = EditDistance.suggestion(
                for: words.joined(separator: " "), among: CommandTable.commands.map(\.name))
            {
                precondition(CommandTable.commands.contains { $0.name == near }, "help suggested \(near)")
            }
        }
    }

    /// The `://user:password@` of the first URL of each argument, as
    /// ``Redaction/redactURL(_:)`` finds it, when it has a password; left
    /// out when an argument still holds the same text once redacted:
    /// redaction removes the credentials of the first URL of a word only,
    /// so a word with a second URL with the same credentials is out of
    /// its scope.
    static func secrets(in argv: [String]) -> [String] {
        let redacted = argv.map(Redaction.redactURL)
        return argv.compactMap(self.credentials).filter { secret in !redacted.contains { $0.contains(secret) } }
    }

    /// `://user:password@` of the first URL in `argument`, when it has a
    /// password.
    static func credentials(_ argument: String) -> String? {
        guard let marker = argument.utf8.firstRange(of: "://".utf8) else { return nil }
        let authority = argument[marker.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let at = authority.lastIndex(of: "@") else { return nil }
        let userinfo = authority[..<at]
        guard let colon = userinfo.firstIndex(of: ":"), userinfo.index(after: colon) < userinfo.endIndex else {
            return nil
        }
        return "://" + userinfo + "@"
    }

    /// Every value the parser accepted reads back through its typed
    /// accessor, within the option's bounds.
    static func checkAccessors(_ spec: OptionSpec, _ arguments: ParsedArguments, argv: [String]) {
        let name = spec.long
        let values = arguments.strings(name)
        let count = arguments.occurrences.filter { $0.name == name }.count
        precondition(
            arguments.has(name) == (count > 0) && arguments.flag(name) == (count > 0), "--\(name) in \(argv)")
        guard spec.takesValue else {
            precondition(values.isEmpty && arguments.string(name) == nil, "flag --\(name) has a value in \(argv)")
            return
        }
        precondition(values.count == count, "--\(name) lost a value in \(argv)")
        precondition(arguments.string(name) == values.last, "--\(name): string is not the last value in \(argv)")
        guard let value = values.last else {
            // Not given: the numeric accessors give the table's default, or nil.
            let fallback = spec.defaultValue
            precondition(
                arguments.int(name) == fallback.flatMap { DecimalNumber.parseInteger($0) }
                    && arguments.duration(name) == fallback.flatMap { try? DurationParser.seconds(from: $0) }
                    && arguments.percentage(name) == fallback.flatMap { try? PercentageParser.fraction(from: $0) },
                "--\(name) in \(argv)")
            return
        }
        switch spec.kind {
        case .integer(let range):
            guard let n = arguments.int(name) else { preconditionFailure("--\(name) \(value) is no Int (\(argv))") }
            precondition(range.contains(n), "--\(name) \(n) is outside \(range) (\(argv))")
        case .duration(let range):
            guard let seconds = arguments.duration(name) else {
                preconditionFailure("--\(name) \(value) is no duration (\(argv))")
            }
            precondition(range.contains(seconds), "--\(name) \(value) read as \(seconds) (\(argv))")
            // Commands echo durations back in their reports.
            precondition(!DurationParser.format(seconds: seconds).isEmpty, "--\(name) \(value) (\(argv))")
        case .percentage(let range):
            guard let fraction = arguments.percentage(name) else {
                preconditionFailure("--\(name) \(value) is no percentage (\(argv))")
            }
            precondition(range.contains(fraction), "--\(name) \(value) read as \(fraction) (\(argv))")
        case .choice(let words):
            precondition(words.contains(value), "--\(name) \(value) is not a choice (\(argv))")
        case .url:
            let lower = value.lowercased()
            precondition(lower.hasPrefix("http://") || lower.hasPrefix("https://"), "--\(name) \(value) (\(argv))")
        case .text, .path, .directory:
            precondition(!value.isEmpty, "--\(name) is empty (\(argv))")
        case nil:
            preconditionFailure("--\(name) takes a value of no kind")
        }
    }

    /// The positionals fit the command's declared arguments.
    static func checkPositionals(_ positionals: [String], command: CommandSpec, argv: [String]) {
        guard let spec = command.arguments.first else {
            precondition(positionals.isEmpty, "'\(command.name)' accepted \(positionals) (\(argv))")
            return
        }
        precondition(spec.optional || !positionals.isEmpty, "'\(command.name)' without \(spec.name) (\(argv))")
        precondition(spec.variadic || positionals.count <= 1, "'\(command.name)' took \(positionals) (\(argv))")
    }

    /// Written back in one canonical spelling (the command words, every
    /// option as `--name` or `--name=value`, then `--` and the
    /// positionals), the command line parses to the same invocation.
    static func checkCanonicalForm(
        _ invocation: ArgumentParser.Invocation, outcome original: Outcome, argv: [String]
    ) {
        var canonical = invocation.command.path
        for occurrence in invocation.arguments.occurrences {
            canonical.append(occurrence.value.map { "--\(occurrence.name)=\($0)" } ?? "--\(occurrence.name)")
        }
        if !invocation.arguments.positionals.isEmpty {
            canonical.append("--")
            canonical += invocation.arguments.positionals
        }
        let (rewritten, _) = self.parse(canonical)
        precondition(original == rewritten, "\(argv) and its canonical form \(canonical) parse differently")
    }

    /// Resolves the global options as the runner does, with a fixed fake
    /// environment, and checks them against the parse.
    static func checkGlobalOptions(_ invocation: ArgumentParser.Invocation, argv: [String]) {
        let command = invocation.command
        let arguments = invocation.arguments
        for stdoutIsTerminal in [false, true] {
            let global: GlobalOptions
            do {
                global = try GlobalOptions(
                    arguments: arguments, command: command, environment: self.environment,
                    stdoutIsTerminal: stdoutIsTerminal)
            } catch let error as UsageError {
                precondition(!error.message.isEmpty, "empty usage error from global options for \(argv)")
                precondition(
                    error.message.contains("does not support --format"), "unexpected \(error.message) (\(argv))")
                continue
            } catch {
                preconditionFailure("GlobalOptions threw an undocumented error for \(argv): \(error)")
            }
            precondition(command.formats.contains(global.format), "\(command.name) got \(global.format) (\(argv))")
            if arguments.string("format") == nil {
                precondition(global.format == (arguments.flag("json") ? .json : .table), "format of \(argv)")
            }
            precondition(global.db == arguments.string("db"), "db of \(argv)")
            precondition(
                (try? global.store)
                    == (arguments.string("store") ?? "/home/fuzz/.local/state/peft-perf/store.sqlite"))
            let urls = arguments.strings("url")
            precondition(global.urls == (urls.isEmpty ? ["http://127.0.0.1:9/a", "https://[::1]:9/b"] : urls))
            precondition(global.outputPath == arguments.string("output"), "output of \(argv)")
            precondition(global.noCache == arguments.flag("no-cache"), "no-cache of \(argv)")
            precondition(global.timeoutSeconds == arguments.duration("timeout") ?? 30, "timeout of \(argv)")
            switch arguments.string("color") {
            case "always": precondition(global.useColor, "--color always of \(argv)")
            case "never": precondition(!global.useColor, "--color never of \(argv)")
            default: precondition(global.useColor == stdoutIsTerminal, "--color auto of \(argv)")
            }
            let last = arguments.occurrences.last { $0.name == "quiet" || $0.name == "verbose" }?.name
            let verbosity: Console.Verbosity = last == "quiet" ? .quiet : last == "verbose" ? .verbose : .normal
            precondition(global.verbosity == verbosity, "verbosity of \(argv)")
        }
    }

    /// The conversions the commands make of their options before any I/O
    /// (`recommend --set` and `--fail-on`, `bench --method`, `--header`,
    /// `--assert`, the URLs) throw their documented
    /// errors or succeed, never trap; and a choice the parser accepted
    /// always converts.
    static func checkConversions(_ arguments: ParsedArguments, argv: [String]) {
        if let text = arguments.string("fail-on") {
            precondition(RecommendationSeverity(rawValue: text) != nil, "--fail-on \(text) (\(argv))")
        }
        if let text = arguments.string("method") {
            precondition((try? HTTPMethod(parsing: text)) != nil, "--method \(text) (\(argv))")
        }
        var thresholds = RecommendationThresholds()
        for assignment in arguments.strings("set") {
            do { try thresholds.apply(assignment) } catch { precondition(!error.reason.isEmpty, "--set (\(argv))") }
        }
        for text in arguments.strings("header") {
            do { _ = try HTTPHeader(parsing: text) } catch { precondition(!error.reason.isEmpty, "-H (\(argv))") }
        }
        for text in arguments.strings("assert") {
            do { _ = try AssertionExpression(parsing: text) } catch {
                precondition(!error.reason.isEmpty, "--assert (\(argv))")
            }
        }
        for text in arguments.strings("url") + arguments.strings("proxy") + arguments.strings("push-gateway") {
            do { _ = try HTTPURL(text) } catch { precondition(!error.reason.isEmpty, "URL (\(argv))") }
        }
    }
}
