import Testing

@testable import peft_perf

/// Inputs found by the FuzzArgumentParser fuzz target
/// (Sources/peft-perf/Fuzzing/ArgumentParserFuzzing.swift); each one is also
/// in its seed corpus, Fuzz/corpus/FuzzArgumentParser/.
@Suite struct ArgumentParserFuzzRegressionTests {
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
}
