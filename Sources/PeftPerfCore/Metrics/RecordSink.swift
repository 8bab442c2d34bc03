/// Where ``RecordIngestor`` writes: the store in production, memory in tests.
///
/// The ingestor calls `beginBatch`, then any number of writes, then
/// `commitBatch` or `rollbackBatch`; a batch must be all-or-nothing.
public protocol RecordSink {
    mutating func beginBatch() throws
    /// Request rows, already aggregated per minute and endpoint.
    mutating func write(rows: [MonitorStoreRow]) throws
    /// One statement run.
    mutating func write(query: RecordEvent.Query, slowThresholdSeconds: Double) throws
    mutating func commitBatch() throws
    mutating func rollbackBatch()
    /// Called before a commit when prefixes collapsed (or were learned) in the
    /// batch: the store saves them and merges the endpoints it holds into
    /// their route. The default does nothing.
    mutating func write(routes: RouteGrouping) throws
}

extension RecordSink {
    public mutating func write(routes: RouteGrouping) throws {}
}
