/// What `peft-perf record` did, for its table and JSON output.
public struct RecordSummary: Sendable, Equatable, Encodable {
    public static let currentSchemaVersion = 1
    /// At most this many bad lines are listed in ``badLineDetails`` (all are counted).
    public static let maxListedBadLines = 100

    public var schemaVersion = Self.currentSchemaVersion
    /// Lines read, blank ones included.
    public var lines = 0
    public var blankLines = 0
    /// Events written to the store (0 when the batch was rolled back).
    public var requestsRecorded = 0
    public var queriesRecorded = 0
    /// Lines rejected.
    public var badLines = 0
    /// The first ``maxListedBadLines`` rejected lines, with reasons.
    public var badLineDetails: [RecordLineError] = []
    /// Batches committed that held events (one for a file; for a stream, one
    /// per second or 100k events while events arrive, and one each time it goes quiet).
    public var batchesCommitted = 0
    /// Whether `--strict` stopped at a bad line and wrote nothing of the batch.
    public var rolledBack = false
    /// Whether Ctrl-C stopped the run (the unfinished batch was rolled back).
    public var interrupted = false

    public init() {}

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case lines
        case blankLines = "blank_lines"
        case requestsRecorded = "requests_recorded"
        case queriesRecorded = "queries_recorded"
        case badLines = "bad_lines"
        case badLineDetails = "errors"
        case batchesCommitted = "batches_committed"
        case rolledBack = "rolled_back"
        case interrupted
    }
}

extension RecordLineError: Encodable {
    enum CodingKeys: String, CodingKey {
        case line, reason
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.line, forKey: .line)
        try container.encode(self.reason, forKey: .reason)
    }
}
