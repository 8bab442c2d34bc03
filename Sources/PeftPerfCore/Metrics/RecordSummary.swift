/// What `peft-perf record` did, for its table and JSON output.
public struct RecordSummary: Sendable, Equatable, VersionedReport {
    public static let schemaVersion = 1
    /// At most this many bad lines are listed in ``badLineDetails`` (all are counted).
    public static let maxListedBadLines = 100

    /// Lines read, blank ones included.
    public var lines = 0
    public var blankLines = 0
    /// Events written to the store (0 when the batch was rolled back).
    public var requestsRecorded = 0
    public var queriesRecorded = 0
    /// Lines rejected.
    public var badLines = 0
    /// Events read but not recorded: their batch was rolled back (`--strict`,
    /// or a file interrupted). Every line read is blank, bad, recorded or
    /// dropped: `lines == blankLines + badLines + requestsRecorded +
    /// queriesRecorded + eventsDropped`.
    public var eventsDropped = 0
    /// The first ``maxListedBadLines`` rejected lines, with reasons.
    public var badLineDetails: [RecordLineError] = []
    /// Batches committed that held events (one for a file; for a stream, one
    /// per second or 100k events while events arrive, and one each time it goes quiet).
    public var batchesCommitted = 0
    /// Whether the batch being read was rolled back and nothing of it
    /// recorded: `--strict` stopped at a bad line, or a file was interrupted.
    public var rolledBack = false
    /// Whether SIGINT or SIGTERM stopped the run. A file's batch is then
    /// rolled back (``rolledBack``); a stream's events read so far are committed.
    public var interrupted = false
    /// The signal that stopped the run (`SIGINT`, `SIGTERM`); nil when none did.
    /// Always written, null when no signal stopped the run.
    @FiniteOrNull public var signal: String? = nil
    /// Query events whose `db` was a relative path, recorded under it resolved
    /// against `record`'s current directory (a service may run elsewhere).
    public var relativeDatabaseEvents = 0
    /// Whether grouped endpoint names (those no route template gave) reached
    /// their cap, so that later new names were recorded as `(other)`.
    public var groupedRouteCapReached = false
    /// Prefixes collapsed by cardinality during this run (``CollapsedPrefix``).
    public var prefixesCollapsed: [String] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case lines, blankLines, requestsRecorded, queriesRecorded, badLines, eventsDropped
        case badLineDetails = "errors"
        case batchesCommitted, rolledBack, interrupted, signal, relativeDatabaseEvents, groupedRouteCapReached
        case prefixesCollapsed
    }

    /// `SIGINT`, `SIGTERM`, or `signal N` for another number.
    public static func signalName(_ number: Int32) -> String {
        switch number {
        case 2: "SIGINT"
        case 15: "SIGTERM"
        default: "signal \(number)"
        }
    }
}
