import Testing

@testable import PeftPerfCLI

/// Inputs found by the FuzzArgumentParser fuzz target
/// (Fuzz/FuzzArgumentParser/FuzzArgumentParser.swift); each one is also
/// in its seed corpus, Fuzz/corpus/FuzzArgumentParser/.
@Suite struct ArgumentParserFuzzRegressionTests {
    /// `help` with an unknown command echoed it raw, and `Redaction.redactURL`
    /// only removed the first URL's credentials from a word (both reported by
    /// the fuzzing helper). Through the real binary.
    @Test(arguments: [
        ["help", "http://user:secret@example.test/"],
        ["help", "a://u:secret@h,b://v:secret@k/"],
        ["bench", "--fail-on", "a://u:secret@h,b://v:secret@k/"],
        ["a://u:secret@h,b://v:secret@k/"],
    ])
    func noUsageErrorShowsAnyURLsCredentials(argv: [String]) throws {
        let result = try CLIHarness.run(argv)
        #expect(result.status == 2, "\(argv): \(result.stderr)")
        #expect(result.stderr.hasPrefix("peft-perf: error: "), "\(result.stderr)")
        #expect(!result.stderr.contains("secret"), "\(result.stderr)")
        #expect(!result.stdout.contains("secret"))
    }

    /// Usage errors that echo a word of the command line used to show a URL's
    /// password (found as crash-credentials-in-unknown-option); the parser's
    /// other messages already redacted it.
    @Test(arguments: [
        (["bench", "---fail-ons://user:secret@example.test/"], "unknown option '---fail-ons://example.test/'"),
        (["http://user:secret@example.test/"], "unknown command 'http://example.test/'"),
        (["db", "https://user:secret@example.test/x"], "unknown subcommand 'https://example.test/x' for 'db'"),
        (
            ["system", "--json=http://user:secret@example.test/"],
            "option --json does not take a value (got 'http://example.test/')"
        ),
        // The reason after the value quoted it whole (found as
        // crash-credentials-in-invalid-value).
        (
            ["bench", "-t", "lu-trhps://user:secret@example.test/"],
            "invalid value 'lu-trhps://example.test/' for -t: 'lu-trhps://example.test/' is not a whole number"
        ),
        (
            ["system", "--format", "http://user:secret@example.test/"],
            "invalid value 'http://example.test/' for --format: 'http://example.test/' is not one of: table, json, prometheus"
        ),
    ])
    func usageErrorsNeverShowURLCredentials(argv: [String], message: String) {
        do {
            _ = try ArgumentParser(version: "test").parse(argv)
            Issue.record("\(argv) parsed")
        } catch let error as UsageError {
            #expect(error.message == message)
            #expect(!error.message.contains("secret"))
            #expect(!(error.hint ?? "").contains("secret"))
        } catch {
            Issue.record("\(argv) threw \(error)")
        }
    }

    /// Whatever the reason says about a bad duration or percentage, it does
    /// not show a URL's password.
    @Test(arguments: [
        ["system", "--interval", "http://user:secret@example.test/"],
        ["bench", "--max-regression", "http://user:secret@example.test/"],
        ["bench", "--url", "ftp://user:secret@example.test/"],
    ])
    func badValuesNeverShowURLCredentials(argv: [String]) {
        do {
            _ = try ArgumentParser(version: "test").parse(argv)
            Issue.record("\(argv) parsed")
        } catch let error as UsageError {
            #expect(!error.message.contains("secret"))
            #expect(!(error.hint ?? "").contains("secret"))
        } catch {
            Issue.record("\(argv) threw \(error)")
        }
    }

    /// `--name=value` whose value starts with a combining mark: the mark and
    /// the `=` form one Character, so the `=` went unseen and the whole word
    /// was taken for an option's name (found as
    /// crash-inline-value-starting-with-combining-mark).
    @Test func inlineValueMayStartWithACombiningMark() throws {
        let invocation = try ArgumentParser(version: "test").parse([
            "bench", "--header=\u{05A7}X: 1", "--body=\u{0301}a=b",
        ])
        #expect(invocation.arguments.strings("header") == ["\u{05A7}X: 1"])
        #expect(invocation.arguments.string("body")?.unicodeScalars.elementsEqual("\u{0301}a=b".unicodeScalars) == true)
    }
}
