import Foundation
import Testing

/// Text checked against a file committed in the repository, as
/// swift-snapshot-testing does it: a difference fails the test and shows the
/// first differing lines; a missing file is recorded and fails; with
/// `RECORD_SNAPSHOTS=1` every file is rewritten and the test fails, saying
/// so, so that a green run always compared against committed files.
enum Snapshot {
    /// Whether this run rewrites the committed files.
    static var isRecording: Bool {
        ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    }

    /// Expects the file at `relative` (from the repository root) to hold
    /// exactly `actual`. `regenerate` tells the reader how to update it.
    static func expect(
        _ actual: String, matchesFileAt relative: String, regenerate: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let url = DocumentationFiles.root.appendingPathComponent(relative)
        let committed = try? String(contentsOf: url, encoding: .utf8)
        if self.isRecording || committed == nil {
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Issue.record("could not record \(relative): \(error)", sourceLocation: sourceLocation)
                return
            }
            let why = committed == nil ? "there was no \(relative)" : "RECORD_SNAPSHOTS=1"
            let changed = committed == actual ? "unchanged" : "changed"
            Issue.record(
                "\(why): recorded \(relative) (\(changed)); check it, commit it and run the tests again without RECORD_SNAPSHOTS",
                sourceLocation: sourceLocation)
            return
        }
        guard let committed, committed != actual else { return }
        let message = "\(relative) differs from a fresh generation; regenerate it with \(regenerate)\n"
        Issue.record(
            Comment(rawValue: message + self.difference(committed: committed, fresh: actual)),
            sourceLocation: sourceLocation)
    }

    /// The first differing line, with two lines of context either side.
    static func difference(committed: String, fresh: String) -> String {
        let old = committed.split(separator: "\n", omittingEmptySubsequences: false)
        let new = fresh.split(separator: "\n", omittingEmptySubsequences: false)
        let first = (0..<min(old.count, new.count)).first { old[$0] != new[$0] } ?? min(old.count, new.count)
        let range = max(first - 2, 0)..<(first + 3)
        var out = "first difference at line \(first + 1):\n"
        for index in range where index < old.count { out += "- \(index + 1): \(old[index])\n" }
        for index in range where index < new.count { out += "+ \(index + 1): \(new[index])\n" }
        return out
    }
}
