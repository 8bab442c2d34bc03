/// What made a rule fire, as typed fields of the JSON `evidence` object.
///
/// - `figures`: the measured numbers, with units in their keys
///   (``RecommendationFigure``).
/// - What the figures are about: `database` (a path), `table`, `columns`,
///   `index`, `endpoint`, `pool`, `cache` and `cache_source`, `disk_path`,
///   `journal_mode`, `has_indexes`, `has_statistics`.
/// - For the index rules: `statement_ids` (what a missing index is for, the
///   `statement_id` of `db stats`), `statements_source`; for a redundant index
///   `kind`, `kept_index`, `dropped_index`, `equivalent_indexes` and
///   `statements_verified`.
///
/// Fields that do not apply to a rule are left out of the JSON.
public struct RecommendationEvidence: Sendable, Equatable {
    public var figures: [RecommendationFigure: Double] = [:]
    /// The application database's path.
    public var database: String?
    public var table: String?
    public var columns: [String]?
    /// The index to create or to drop.
    public var index: String?
    /// For a redundant index: `duplicate` or `prefix`.
    public var kind: String?
    /// For a redundant index: the existing index that stays.
    public var keptIndex: String?
    /// For a redundant index: the one to drop (the same as ``index``).
    public var droppedIndex: String?
    public var equivalentIndexes: [String]?
    /// For a redundant index: how many statements were re-planned without it.
    public var statementsVerified: Int?
    /// For a missing index: `built_in` (only PEFT Studio's built-in
    /// statements call for it) or `recorded`.
    public var statementsSource: String?
    /// For a missing index: the ``StatementID`` of each statement it is for.
    public var statementIds: [String]?
    /// For a missing index: what the plans show it changes ("avoids the temp
    /// B-tree sort"), checked with the recorded `IN` list lengths.
    public var claims: [String]?
    /// The endpoint (route) judged.
    public var endpoint: String?
    /// The connection pool judged (`http`, `sqlite`).
    public var pool: String?
    /// The service cache judged (its name).
    public var cache: String?
    /// Where the cache's figures came from (``RecommendationInput/Cache/source``).
    public var cacheSource: String?
    public var diskPath: String?
    public var journalMode: String?
    public var hasIndexes: Bool?
    public var hasStatistics: Bool?

    public init(_ figures: [RecommendationFigure: Double] = [:]) { self.figures = figures }

    /// The figures by their JSON keys.
    public var figuresByKey: [String: Double] {
        Dictionary(uniqueKeysWithValues: self.figures.map { ($0.key.rawValue, $0.value) })
    }
}

extension RecommendationEvidence: Encodable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { self.stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        // Non-finite figures cannot be JSON numbers; they never come from the rules.
        for (figure, value) in self.figures.sorted(by: { $0.key < $1.key }) where value.isFinite {
            try c.encode(value, forKey: Key(figure.rawValue))
        }
        try c.encodeIfPresent(self.database, forKey: Key("database"))
        try c.encodeIfPresent(self.table, forKey: Key("table"))
        try c.encodeIfPresent(self.columns, forKey: Key("columns"))
        try c.encodeIfPresent(self.index, forKey: Key("index"))
        try c.encodeIfPresent(self.kind, forKey: Key("kind"))
        try c.encodeIfPresent(self.keptIndex, forKey: Key("kept_index"))
        try c.encodeIfPresent(self.droppedIndex, forKey: Key("dropped_index"))
        try c.encodeIfPresent(self.equivalentIndexes, forKey: Key("equivalent_indexes"))
        try c.encodeIfPresent(self.statementsVerified, forKey: Key("statements_verified"))
        try c.encodeIfPresent(self.statementsSource, forKey: Key("statements_source"))
        try c.encodeIfPresent(self.statementIds, forKey: Key("statement_ids"))
        try c.encodeIfPresent(self.claims, forKey: Key("claims"))
        try c.encodeIfPresent(self.endpoint, forKey: Key("endpoint"))
        try c.encodeIfPresent(self.pool, forKey: Key("pool"))
        try c.encodeIfPresent(self.cache, forKey: Key("cache"))
        try c.encodeIfPresent(self.cacheSource, forKey: Key("cache_source"))
        try c.encodeIfPresent(self.diskPath, forKey: Key("disk_path"))
        try c.encodeIfPresent(self.journalMode, forKey: Key("journal_mode"))
        try c.encodeIfPresent(self.hasIndexes, forKey: Key("has_indexes"))
        try c.encodeIfPresent(self.hasStatistics, forKey: Key("has_statistics"))
    }
}
