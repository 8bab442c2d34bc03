/// `db slow --api`: the service's slow-query log, statements normalized
/// (``SQLNormalizer``) and keyed by ``StatementID`` as the local `db slow`
/// report has them.
///
/// Parameters may hold user data: they are in the report only when asked
/// for (`--show-parameters`); otherwise only their count is.
public struct LiveSlowQueryReport: Sendable, Equatable, Encodable {
    /// One logged query.
    public struct Entry: Sendable, Equatable, Encodable {
        /// The statement, normalized.
        public var statement: String
        public var time: Double
        /// The service's naive local time, verbatim.
        public var serverTimestamp: String?
        public var parameterCount: Int
        /// The parameters as sent; nil unless asked for.
        public var parameters: LiveJSON?

        public init(_ query: ServiceSlowQuery, showParameters: Bool) {
            self.statement = SQLNormalizer.normalize(query.statement)
            self.time = query.time
            self.serverTimestamp = query.timestamp
            self.parameterCount = query.parameters.count
            guard showParameters else {
                self.parameters = nil
                return
            }
            switch query.parameters {
            case .none: self.parameters = nil
            case .list(let items): self.parameters = .array(items)
            case .object(let members): self.parameters = .object(members)
            }
        }

        enum CodingKeys: String, CodingKey {
            case statement, time, timestamp, parameters
            case statementId = "statement_id"
            case durationSeconds = "duration_seconds"
            case serverTimestamp = "server_timestamp"
            case parameterCount = "parameter_count"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(self.statement, forKey: .statement)
            try c.encode(StatementID.of(self.statement), forKey: .statementId)
            try c.encode(self.time, forKey: .time)
            try c.encode(self.time, forKey: .durationSeconds)
            // The service's time is naive local time: not an instant, so not `timestamp`.
            try c.encodeNil(forKey: .timestamp)
            try c.encode(self.serverTimestamp, forKey: .serverTimestamp)
            try c.encode(self.parameterCount, forKey: .parameterCount)
            if let parameters = self.parameters { try c.encode(parameters, forKey: .parameters) }
        }
    }

    public var slowQueries: [Entry]
    /// The service's count.
    public var total: UInt64
    public var limit: Int
    public var parametersShown: Bool
    /// When the log arrived, ISO-8601 UTC.
    public var timestamp: String

    /// - Parameter statementIds: only these statements (``StatementID``s); nil for all.
    public init(
        _ reading: LiveAPIReading<ServiceSlowQueries>, limit: Int, showParameters: Bool, statementIds: Set<String>?
    ) {
        var entries = reading.body.slowQueries.map { Entry($0, showParameters: showParameters) }
        if let statementIds { entries = entries.filter { statementIds.contains(StatementID.of($0.statement)) } }
        self.slowQueries = entries.sorted { $0.time > $1.time }
        self.total = reading.body.count
        self.limit = limit
        self.parametersShown = showParameters
        self.timestamp = reading.timestamp
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case slowQueries = "slow_queries"
        case count, total, limit, timestamp
        case parametersShown = "parameters_shown"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(1, forKey: .schemaVersion)
        try c.encode(self.slowQueries, forKey: .slowQueries)
        try c.encode(self.slowQueries.count, forKey: .count)
        try c.encode(self.total, forKey: .total)
        try c.encode(self.limit, forKey: .limit)
        try c.encode(self.parametersShown, forKey: .parametersShown)
        try c.encode(self.timestamp, forKey: .timestamp)
    }
}
