/// A JSON report with a layout version: the envelope every report goes out
/// through (`CommandContext.emitJSON` in the CLI) writes it as the
/// top-level `schema_version`, so that no report encodes it itself.
public protocol VersionedReport: Encodable {
    /// Version of this JSON layout, written as `schema_version`.
    static var schemaVersion: Int { get }
}

/// `report`'s own keys with its `schema_version` beside them: the envelope
/// of a report at the top level (with `source`, in the CLI) and of a report
/// nested whole in another, such as `system` inside `metrics`.
public struct VersionedEnvelope<Report: VersionedReport>: Encodable {
    public let report: Report

    public init(_ report: Report) {
        self.report = report
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
    }

    public func encode(to encoder: any Encoder) throws {
        // The report writes its own keyed container first; asking the same
        // encoder for a keyed container again adds to that same object.
        try self.report.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Report.schemaVersion, forKey: .schemaVersion)
    }
}
