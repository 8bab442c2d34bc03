/// Aggregates `record` request events into per-minute, per-endpoint rows
/// before they are written to the store.
///
/// Memory is bounded: endpoint names are normalized and capped (1000, then
/// `(other)`) as the monitor does, and once ``maxPendingRows`` rows are held
/// the caller writes them out (``isFull``) within the same transaction and
/// carries on. A file spanning months therefore needs no more memory than one
/// spanning a minute.
public struct RecordBatch: Sendable {
    /// Width of the rows written, in seconds.
    public static let bucketSeconds: Int64 = 60

    struct Key: Hashable {
        var bucket: Int64
        /// Index into `names`.
        var endpoint: Int
    }

    private var rows: [Key: MonitorStoreRow] = [:]
    /// Admitted endpoint names → their index; at most `maxEndpoints`, then `(other)`.
    private var endpointIndex: [String: Int] = [:]
    private var names: [String] = []
    private let maxEndpoints: Int
    private let significantDigits: Int
    /// Rows held before ``isFull`` turns true.
    public let maxPendingRows: Int
    /// Requests added since the batch began.
    public private(set) var requestCount = 0

    /// - Parameters:
    ///   - maxEndpoints: distinct endpoint names before `(other)`.
    ///   - significantDigits: histogram precision, as the monitor's endpoints.
    ///   - maxPendingRows: rows held before the caller should write them out.
    public init(maxEndpoints: Int = 1000, significantDigits: Int = 2, maxPendingRows: Int = 256) {
        self.maxEndpoints = max(0, maxEndpoints)
        self.significantDigits = significantDigits
        self.maxPendingRows = max(1, maxPendingRows)
    }

    /// Whether enough rows are pending that they should be written out now.
    public var isFull: Bool { self.rows.count >= self.maxPendingRows }

    /// Whether no rows are pending.
    public var isEmpty: Bool { self.rows.isEmpty }

    /// Adds one request event; `now` stamps events that carry no `ts`.
    public mutating func add(_ request: RecordEvent.Request, now: Double) {
        // Same names and bound as the monitor (EndpointNormalizer), computed on bytes.
        let normalized = EndpointNormalizer.normalize(request.endpoint)
        let index: Int
        if let known = self.endpointIndex[normalized] {
            index = known
        } else if self.names.count < self.maxEndpoints {
            index = self.names.count
            self.names.append(normalized)
            self.endpointIndex[normalized] = index
        } else if let other = self.endpointIndex[EndpointNormalizer.overflowName] {
            index = other
        } else {
            index = self.names.count
            self.names.append(EndpointNormalizer.overflowName)
            self.endpointIndex[EndpointNormalizer.overflowName] = index
        }
        let timestamp = request.timestamp ?? now
        let key = Key(bucket: MonitorStoreRow.bucketStart(for: timestamp, width: Self.bucketSeconds), endpoint: index)
        let digits = self.significantDigits
        let name = self.names[index]
        // One hash lookup: the default row is built only for a new key, and the
        // dictionary's modify accessor updates the row in place.
        Self.add(
            request, at: timestamp,
            to: &self.rows[
                key,
                default: MonitorStoreRow(
                    bucketStart: key.bucket, bucketSeconds: Self.bucketSeconds,
                    statistics: EndpointStatistics(endpoint: name, significantDigits: digits),
                    firstSeen: timestamp, lastSeen: timestamp)
            ])
        self.requestCount += 1
    }

    private static func add(_ request: RecordEvent.Request, at timestamp: Double, to row: inout MonitorStoreRow) {
        row.statistics.add(durationSeconds: request.durationSeconds, status: request.status, error: request.error)
        if timestamp < row.firstSeen { row.firstSeen = timestamp }
        if timestamp > row.lastSeen { row.lastSeen = timestamp }
    }

    /// Hands out the pending rows (sorted by bucket, then endpoint) and forgets them.
    public mutating func takeRows() -> [MonitorStoreRow] {
        let out = self.rows.values.sorted {
            ($0.bucketStart, $0.endpoint) < ($1.bucketStart, $1.endpoint)
        }
        self.rows.removeAll(keepingCapacity: true)
        return out
    }
}
