/// `db slow --api`: the service's slow-query log, statements normalized
/// (``SQLNormalizer``) and keyed by ``StatementID`` as the local `db slow`
/// report has them.
///
/// Parameters may hold user data: they are in the report only when asked
/// for (`--show-parameters`); otherwise only their count is.
public struct LiveSlowQueryReport: Sendable, Equatable, VersionedReport {
    public static let schemaVersion = SlowQueryReport.schemaVersion

    /// One logged query.
    public struct Entry: Sendable, Equatable, Encodable {
        /// The statement, normalized.
        public let statement: String
        /// The ``StatementID`` of ``statement``.
        public let statementId: String
        public var time: Double
        /// The same figure as ``time``, with its unit in the key.
        public var durationSeconds: Double
        /// Always null: the service's time is naive local time, not an
        /// instant (``serverTimestamp``).
        @FiniteOrNull public private(set) var timestamp: String? = nil
        /// The service's naive local time, verbatim.
        @FiniteOrNull public var serverTimestamp: String?
        public var parameterCount: Int
        /// The parameters as sent; nil (and left out) unless asked for.
        public var parameters: LiveJSON?

        public init(_ query: ServiceSlowQuery, showParameters: Bool) {
            self.statement = SQLNormalizer.normalize(query.statement)
            self.statementId = StatementID.of(self.statement)
            self.time = query.time
            self.durationSeconds = query.time
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

    enum CodingKeys: CodingKey {
        case slowQueries, count, total, limit, timestamp, parametersShown
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.slowQueries, forKey: .slowQueries)
        try c.encode(self.slowQueries.count, forKey: .count)
        try c.encode(self.total, forKey: .total)
        try c.encode(self.limit, forKey: .limit)
        try c.encode(self.parametersShown, forKey: .parametersShown)
        try c.encode(self.timestamp, forKey: .timestamp)
    }
}
