/// One line of `peft-perf record` input: a request or a statement run, as a
/// service not written in Swift reports it.
///
///     {"type":"request","endpoint":"GET /api/runs","duration_ms":12.5,"status":200,"ts":"2026-11-29T10:00:00Z"}
///     {"type":"request","method":"DELETE","endpoint":"/api/runs/local_167936","route":"/api/runs/{job_id}","duration_ms":4}
///     {"type":"query","sql":"SELECT ...","duration_ms":3.1,"rows":20,"db":"/path/app.db"}
///
/// ``RecordEventParser`` reads these from bytes.
public enum RecordEvent: Sendable, Equatable {
    case request(Request)
    case query(Query)

    /// An HTTP request the service served or made.
    public struct Request: Sendable, Equatable {
        /// The endpoint as given (`GET /api/runs/42`, or a path or URL without
        /// a method); empty when the line gave only a `route`. Grouped into
        /// its route by ``RouteGrouping``.
        public var endpoint: String
        /// The `method` field, uppercased; nil when the line has none (the
        /// method may then lead ``endpoint``).
        public var method: String?
        /// The route template the emitter matched (`route`, or OpenTelemetry's
        /// `http.route`): `/api/runs/{job_id}`; nil when not given.
        public var route: String?
        /// Total time, in seconds (the line carries milliseconds).
        public var durationSeconds: Double
        /// HTTP status; nil when no response arrived.
        public var status: Int?
        /// Failure kind (`timeout`, `connect`, …); nil on success. A status of
        /// 500 or more counts as an error even without it.
        public var error: String?
        /// When it happened, in seconds since the Unix epoch; nil means "now".
        public var timestamp: Double?

        public init(
            endpoint: String, durationSeconds: Double, status: Int? = nil, error: String? = nil,
            timestamp: Double? = nil, method: String? = nil, route: String? = nil
        ) {
            self.endpoint = endpoint
            self.method = method
            self.route = route
            self.durationSeconds = durationSeconds
            self.status = status
            self.error = error
            self.timestamp = timestamp
        }
    }

    /// A statement the service ran against one of its databases.
    public struct Query: Sendable, Equatable {
        /// The statement text as run (it is normalized before it is stored).
        public var sql: String
        /// Time from the first step to the end, in seconds.
        public var durationSeconds: Double
        /// Rows returned or changed, when known.
        public var rows: Int?
        /// The database file it ran against, when known.
        public var database: String?
        /// Whether the statement failed.
        public var failed: Bool
        /// When it happened, in seconds since the Unix epoch; nil means "now".
        public var timestamp: Double?

        public init(
            sql: String, durationSeconds: Double, rows: Int? = nil, database: String? = nil, failed: Bool = false,
            timestamp: Double? = nil
        ) {
            self.sql = sql
            self.durationSeconds = durationSeconds
            self.rows = rows
            self.database = database
            self.failed = failed
            self.timestamp = timestamp
        }
    }
}
