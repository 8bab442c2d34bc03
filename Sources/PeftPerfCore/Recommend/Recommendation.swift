/// One fired rule: what is wrong, the numbers that show it, and what to do.
///
/// JSON keys: `id`, `severity`, `message`, `action`, `subject` (the endpoint,
/// database, index, pool or disk it is about, or null), `evidence` (the
/// measured figures, units in the key names) and `thresholds` (what they were
/// judged against).
public struct Recommendation: Sendable, Equatable, Encodable {
    /// The rule's stable snake_case id (`cache_hit_rate_low`); scripts key on it.
    public var id: String
    public var severity: RecommendationSeverity
    /// One sentence with the figures, as the original's recommendation strings.
    public var message: String
    /// What to do about it.
    public var action: String
    /// What it is about, when a rule can fire for several things.
    public var subject: String?
    /// The figures that made the rule fire.
    public var evidence: [String: Double]
    /// The thresholds in force for this rule.
    public var thresholds: [String: Double]
    /// For the index rules: what the advice is about, as typed fields of `evidence`.
    public var index: IndexEvidence?

    /// The typed part of an index rule's `evidence`: `table`, `columns`,
    /// `index`, and for a redundant index `kind`, `kept_index`,
    /// `dropped_index`, `equivalent_indexes` and `statements_verified`; for a
    /// missing index `statement_ids`, the statements it is for.
    public struct IndexEvidence: Sendable, Equatable {
        public var table: String
        public var columns: [String]
        /// The index to create or to drop.
        public var index: String
        /// For a redundant index: `duplicate` or `prefix`.
        public var kind: String?
        /// For a redundant index: the existing index that stays.
        public var keptIndex: String?
        /// For a redundant index: the one to drop (the same as ``index``).
        public var droppedIndex: String?
        public var equivalentIndexes: [String]?
        public var statementsVerified: Int?
        /// For a missing index: `built_in` (only PEFT Studio's built-in
        /// statements call for it) or `recorded`.
        public var statementsSource: String?
        /// For a missing index: the ``StatementID`` of each statement it is for.
        public var statementIds: [String]?

        public init(
            table: String, columns: [String], index: String, kind: String? = nil, keptIndex: String? = nil,
            droppedIndex: String? = nil, equivalentIndexes: [String]? = nil, statementsVerified: Int? = nil,
            statementsSource: String? = nil,
            statementIds: [String]? = nil
        ) {
            self.statementIds = statementIds
            self.table = table
            self.columns = columns
            self.index = index
            self.kind = kind
            self.keptIndex = keptIndex
            self.droppedIndex = droppedIndex
            self.equivalentIndexes = equivalentIndexes
            self.statementsVerified = statementsVerified
            self.statementsSource = statementsSource
        }
    }

    public init(
        id: String, severity: RecommendationSeverity, message: String, action: String, subject: String? = nil,
        evidence: [String: Double], thresholds: [String: Double], index: IndexEvidence? = nil
    ) {
        self.id = id
        self.severity = severity
        self.message = message
        self.action = action
        self.subject = subject
        self.evidence = evidence
        self.thresholds = thresholds
        self.index = index
    }

    /// A key of the `evidence` object.
    struct EvidenceKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { self.stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    enum CodingKeys: String, CodingKey {
        case id, severity, message, action, subject, evidence, thresholds
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(self.id, forKey: .id)
        try container.encode(self.severity, forKey: .severity)
        try container.encode(self.message, forKey: .message)
        try container.encode(self.action, forKey: .action)
        try container.encode(self.subject, forKey: .subject)
        // Non-finite figures cannot be JSON numbers; they never come from the rules.
        var evidence = container.nestedContainer(keyedBy: EvidenceKey.self, forKey: .evidence)
        for (key, value) in self.evidence.sorted(by: { $0.key < $1.key }) where value.isFinite {
            try evidence.encode(value, forKey: EvidenceKey(key))
        }
        if let index = self.index {
            try evidence.encode(index.table, forKey: EvidenceKey("table"))
            try evidence.encode(index.columns, forKey: EvidenceKey("columns"))
            try evidence.encode(index.index, forKey: EvidenceKey("index"))
            try evidence.encodeIfPresent(index.kind, forKey: EvidenceKey("kind"))
            try evidence.encodeIfPresent(index.keptIndex, forKey: EvidenceKey("kept_index"))
            try evidence.encodeIfPresent(index.droppedIndex, forKey: EvidenceKey("dropped_index"))
            try evidence.encodeIfPresent(index.equivalentIndexes, forKey: EvidenceKey("equivalent_indexes"))
            try evidence.encodeIfPresent(index.statementsVerified, forKey: EvidenceKey("statements_verified"))
            try evidence.encodeIfPresent(index.statementsSource, forKey: EvidenceKey("statements_source"))
            try evidence.encodeIfPresent(index.statementIds, forKey: EvidenceKey("statement_ids"))
        }
        try container.encode(self.thresholds, forKey: .thresholds)
    }
}
