/// A command whose implementation has not landed yet. Exits 1, and says so
/// plainly instead of pretending to work.
struct NotLandedError: Error, CustomStringConvertible, Sendable {
    let command: String
    let issue: Int

    var description: String {
        "'\(self.command)' is not available in this build yet: its implementation (issue #\(self.issue)) has not landed"
    }
}
