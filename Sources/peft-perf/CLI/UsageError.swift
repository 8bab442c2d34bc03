/// The command line is wrong: an unknown name, a missing or malformed value.
///
/// Reported as `peft-perf: error: <message>` and exit status 2.
struct UsageError: Error, CustomStringConvertible, Sendable {
    let message: String
    /// An optional second line, such as a "did you mean" hint.
    let hint: String?

    init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }

    var description: String { self.message }
}
