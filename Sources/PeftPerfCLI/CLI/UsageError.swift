import PeftPerfCore

/// The command line is wrong: an unknown name, a missing or malformed value.
///
/// Reported as `peft-perf: error: <message>` and exit status 2.
///
/// Messages often quote what was typed, so every message and hint loses the
/// credentials of any URL in it here, once, for every usage error.
struct UsageError: Error, CustomStringConvertible, Sendable {
    let message: String
    /// An optional second line, such as a "did you mean" hint.
    let hint: String?

    init(_ message: String, hint: String? = nil) {
        self.message = Redaction.redactURL(message)
        self.hint = hint.map(Redaction.redactURL)
    }

    var description: String { self.message }
}
