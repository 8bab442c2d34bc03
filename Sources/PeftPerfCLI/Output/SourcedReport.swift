import PeftPerfCore

/// The one envelope of every JSON report: the report's own keys, its
/// `schema_version` (``VersionedEnvelope``) and the top-level `source`
/// object that says where its figures come from (``ReportSource``). Every
/// JSON report goes out through this, from
/// ``CommandContext/emitJSON(_:source:)``; no report writes these keys itself.
struct SourcedReport<Report: VersionedReport>: Encodable {
    let report: Report
    let source: ReportSource

    enum CodingKeys: String, CodingKey {
        case source
    }

    func encode(to encoder: any Encoder) throws {
        // The envelope writes its keyed container first; asking the same
        // encoder for a keyed container again adds to that same object.
        try VersionedEnvelope(self.report).encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.source, forKey: .source)
    }
}
