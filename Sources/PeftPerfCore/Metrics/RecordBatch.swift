/// Aggregates `record` request events into per-minute, per-endpoint rows
/// before they are written to the store.
///
/// Memory is bounded: endpoint names are grouped by ``RouteGrouping``
/// (templates, id rules, cardinality collapse); names not given by a template
/// are capped (1000, then `(other)`, and ``groupedCapReached`` says so), and once ``maxPendingRows`` rows are held
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

    /// The name cache of one `method` field value (nil: none given): raw
    /// endpoint → index, and route → index. Methods are few, so they are
    /// found by a short scan, and each event hashes one string.
    struct MethodCache {
        var method: String?
        var endpoints: [String: Int] = [:]
        var routes: [String: Int] = [:]
    }

    private var rows: [Key: MonitorStoreRow] = [:]
    /// Admitted endpoint names → their index.
    private var endpointIndex: [String: Int] = [:]
    private var names: [String] = []
    /// Raw naming fields → index into `names`: most events repeat a raw path,
    /// and then cost one hash lookup. Dropped whenever a prefix collapses.
    private var nameCache: [MethodCache] = []
    private var cachedNames = 0
    private var cacheCollapseCount = 0
    /// Names not given by a template, admitted so far.
    private var groupedCount = 0
    /// Names given by a template (imported, or the event's `route`), admitted so far.
    private var templateCount = 0
    private let maxEndpoints: Int
    private let significantDigits: Int
    /// How requests are named: templates, id rules and cardinality collapse.
    public private(set) var grouping: RouteGrouping
    /// Rows held before ``isFull`` turns true.
    public let maxPendingRows: Int
    /// Requests added since the batch began.
    public private(set) var requestCount = 0
    /// Whether grouped names reached their cap, so that later new ones went to `(other)`.
    public private(set) var groupedCapReached = false

    /// Most distinct template names (from `route` fields; imported templates are bounded by the import).
    public static let maxTemplateNames = 10_000
    /// Most cached raw names; the cache is dropped when full.
    static let maxCachedNames = 100_000

    /// - Parameters:
    ///   - maxEndpoints: distinct grouped endpoint names before `(other)`.
    ///     Names given by route templates do not count against it.
    ///   - significantDigits: histogram precision, as the monitor's endpoints.
    ///   - maxPendingRows: rows held before the caller should write them out.
    ///   - grouping: route templates and cardinality grouping.
    public init(
        maxEndpoints: Int = 1000, significantDigits: Int = 2, maxPendingRows: Int = 256,
        grouping: RouteGrouping = RouteGrouping()
    ) {
        self.maxEndpoints = max(0, maxEndpoints)
        self.significantDigits = significantDigits
        self.maxPendingRows = max(1, maxPendingRows)
        self.grouping = grouping
        self.cacheCollapseCount = grouping.collapseCount
    }

    /// Whether enough rows are pending that they should be written out now.
    public var isFull: Bool { self.rows.count >= self.maxPendingRows }

    /// Whether no rows are pending.
    public var isEmpty: Bool { self.rows.isEmpty }

    /// The index of the endpoint name for `request`.
    mutating func endpointIndex(for request: RecordEvent.Request) -> Int {
        var slot = 0
        while slot < self.nameCache.count, self.nameCache[slot].method != request.method { slot += 1 }
        // Without a `method` field, a route's method comes from the endpoint.
        let routeKey = request.route.map { request.method == nil ? request.endpoint + "\u{0}" + $0 : $0 }
        if slot < self.nameCache.count {
            if let routeKey {
                if let cached = self.nameCache[slot].routes[routeKey] { return cached }
            } else if let cached = self.nameCache[slot].endpoints[request.endpoint] {
                return cached
            }
        }
        let grouped: RouteGrouping.Grouped
        if let route = request.route {
            let method = request.method ?? RecordEventParser.leadingMethod(request.endpoint)
            grouped = RouteGrouping.Grouped(
                name: RouteGrouping.routeName(method: method, route: route), matchedTemplate: true)
        } else {
            grouped = self.grouping.group(method: request.method, path: request.endpoint)
        }
        if self.grouping.collapseCount != self.cacheCollapseCount {
            // A prefix collapsed: names admitted before are renamed (rows merged).
            self.cacheCollapseCount = self.grouping.collapseCount
            self.nameCache.removeAll(keepingCapacity: true)
            self.cachedNames = 0
            self.regroupPending()
        }
        let index = self.admit(grouped)
        if self.cachedNames >= Self.maxCachedNames || self.nameCache.count >= 64 {
            self.nameCache.removeAll(keepingCapacity: true)
            self.cachedNames = 0
        }
        slot = 0
        while slot < self.nameCache.count, self.nameCache[slot].method != request.method { slot += 1 }
        if slot == self.nameCache.count { self.nameCache.append(MethodCache(method: request.method)) }
        if let routeKey {
            self.nameCache[slot].routes[routeKey] = index
        } else {
            self.nameCache[slot].endpoints[request.endpoint] = index
        }
        self.cachedNames += 1
        return index
    }

    private mutating func admit(_ grouped: RouteGrouping.Grouped) -> Int {
        if let known = self.endpointIndex[grouped.name] { return known }
        let room =
            grouped.matchedTemplate
            ? self.templateCount < Self.maxTemplateNames : self.groupedCount < self.maxEndpoints
        guard room else {
            if !grouped.matchedTemplate { self.groupedCapReached = true }
            if let other = self.endpointIndex[EndpointNormalizer.overflowName] { return other }
            return self.append(EndpointNormalizer.overflowName)
        }
        if grouped.matchedTemplate { self.templateCount += 1 } else { self.groupedCount += 1 }
        return self.append(grouped.name)
    }

    private mutating func append(_ name: String) -> Int {
        self.names.append(name)
        self.endpointIndex[name] = self.names.count - 1
        return self.names.count - 1
    }

    /// Renames the names admitted so far by the current grouping (after a
    /// collapse) and merges the pending rows that now share a name.
    private mutating func regroupPending() {
        var renamed: [Int: Int] = [:]
        for (index, name) in self.names.enumerated() where name != EndpointNormalizer.overflowName {
            let grouped = self.grouping.regroup(stored: name)
            guard grouped.name != name else { continue }
            if let target = self.endpointIndex[grouped.name] {
                renamed[index] = target
            } else {
                // Takes over the old name's slot.
                self.endpointIndex[name] = nil
                self.names[index] = grouped.name
                self.endpointIndex[grouped.name] = index
                renamed[index] = index
            }
        }
        guard !renamed.isEmpty else { return }
        var merged: [Key: MonitorStoreRow] = [:]
        for (key, row) in self.rows {
            let index = renamed[key.endpoint] ?? key.endpoint
            var moved = row
            moved.statistics.endpoint = self.names[index]
            let newKey = Key(bucket: key.bucket, endpoint: index)
            if merged[newKey] == nil {
                merged[newKey] = moved
            } else {
                merged[newKey]!.merge(moved)
            }
        }
        self.rows = merged
    }

    /// Adds one request event; `now` stamps events that carry no `ts`.
    public mutating func add(_ request: RecordEvent.Request, now: Double) {
        let index = self.endpointIndex(for: request)
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
