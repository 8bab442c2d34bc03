import Foundation
public import Testing

/// What a test does when a program it compares against is missing.
///
/// `.ci/deps --test` installs every one of them, so under `CI=true` (which
/// `.ci/run` exports) a missing tool is a broken install and the test fails.
/// Elsewhere the test is cancelled with a comment that names the tool, so
/// that a developer without, say, fish still sees why it did not run: it
/// never passes as if it had.
public enum RequiredTool {
    /// Whether this run is CI's (`CI=true`).
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether a test that needs a tool should be planned: always under CI,
    /// where the test itself then fails on the missing tool.
    public static func shouldRun(_ available: Bool) -> Bool { available || self.isCI }

    /// The path of `name` on `PATH`; when it is missing, fails the test under
    /// CI, else cancels it, naming `name` and how to install it.
    @discardableResult
    public static func require(
        _ name: String, install: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        guard let path = ExternalTool.which(name) else {
            try self.missing("\(name) is not installed (\(install))", sourceLocation: sourceLocation)
            return ""
        }
        return path
    }

    /// Records that a tool is missing: a failure under CI, else a
    /// cancellation. Always throws.
    public static func missing(_ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Never {
        if self.isCI {
            Issue.record(
                "\(what); under CI=true every tool must be there (.ci/deps --test)", sourceLocation: sourceLocation)
            throw MissingToolError(description: what)
        }
        try Test.cancel("\(what)", sourceLocation: sourceLocation)
    }

    /// Thrown after the failure is recorded under CI, to end the test.
    public struct MissingToolError: Error, CustomStringConvertible {
        public let description: String
    }
}
