import PeftPerfCore

/// A report with the top-level `source` object beside its own keys
/// (``ReportSource``): every JSON report goes out through this, from
/// ``CommandContext/emitJSON(_:source:)``.
struct SourcedReport<Report: Encodable>: Encodable {
    let report: Report
    let source: ReportSource

    enum CodingKeys: String, CodingKey {
        case source
    }

    func encode(to encoder: any Encoder) throws {
        // The report writes its own keyed container first; asking the same
        // encoder for a keyed container again adds to that same object.
        try self.report.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.source, forKey: .source)
    }
}
