extension PerformanceService {
    /// Probes each URL live with `count` sequential GET requests through an
    /// ``HTTPConnectionPool`` (so the first request opens a connection and the
    /// others show reuse), as `metrics --url` does.
    ///
    /// - Parameters:
    ///   - record: also add the probes to the store, as any pooled request would be.
    ///   - client: timeouts, TLS and proxy options for the pool.
    /// - Throws: ``HTTPURLError`` for a malformed URL, ``CurlError`` when the pool
    ///   cannot start; failed requests are counted, not thrown.
    public func probe(
        urls: [String], count: Int, record: Bool, client: HTTPClientOptions = HTTPClientOptions()
    ) throws -> [MetricsReport.Probe] {
        let parsed = try urls.map { text throws(HTTPURLError) in try HTTPURL(text) }
        guard !parsed.isEmpty, count > 0 else { return [] }
        var probes: [MetricsReport.Probe] = []
        for url in parsed {
            // One monitor per URL keeps its figures apart; the pool records into it.
            let monitor = PerformanceMonitor(maxEndpoints: 1, endpointSignificantDigits: 2, totalSignificantDigits: 2)
            var configuration = HTTPPoolConfiguration(workerThreads: 1)
            configuration.client = client
            configuration.monitor = monitor
            let pool = try HTTPConnectionPool(configuration: configuration)
            var version: String?
            for _ in 0..<count {
                if InterruptFlag.isRaised { break }
                if let response = try? pool.send(HTTPRequest(url: url)) { version = response.httpVersion }
            }
            let reused = UInt64(max(0, pool.statistics.connectionsReused))
            pool.shutdown()
            let snapshot = monitor.snapshot()
            var statistics = snapshot.total
            statistics.endpoint = url.redacted
            if record {
                try self.store(snapshot, at: WallClock.now())
                try self.storePool(
                    "http", requests: snapshot.total.requests, waits: 0, waitSeconds: 0, connectionsReused: reused,
                    peakInUse: 1, at: WallClock.now())
            }
            probes.append(
                MetricsReport.Probe(
                    url: url.redacted, statistics: statistics, connectionsReused: reused, httpVersion: version,
                    recorded: record))
        }
        return probes
    }

    /// Adds a monitor snapshot's endpoints to the store, in the minute holding
    /// `timestamp`: how `bench` and one-shot tools record a finished run.
    public func store(_ snapshot: PerformanceSnapshot, at timestamp: Double) throws {
        let bucket = MonitorStoreRow.bucketStart(for: timestamp, width: RecordBatch.bucketSeconds)
        let rows = snapshot.endpoints.filter { $0.requests > 0 }.map {
            MonitorStoreRow(
                bucketStart: bucket, bucketSeconds: RecordBatch.bucketSeconds, statistics: $0,
                firstSeen: max(Double(bucket), timestamp - snapshot.elapsedSeconds), lastSeen: timestamp)
        }
        guard !rows.isEmpty else { return }
        let store = try MonitorStore.openForWriting(
            path: self.configuration.storePath, busyTimeoutSeconds: self.configuration.busyTimeoutSeconds)
        let grouped = try RouteStore.grouped(rows, in: store)
        try store.write { db in
            try MonitorStore(db).add(grouped)
            try MonitorStore(db).maintain(now: timestamp, retentionSeconds: self.configuration.retentionSeconds)
        }
    }

    /// Adds a pool's counters (`http`, `sqlite`, …) to the store, for the
    /// connection-reuse and pool-wait rules.
    public func storePool(
        _ pool: String, requests: UInt64, waits: UInt64, waitSeconds: Double, connectionsReused: UInt64?,
        peakInUse: Int, at timestamp: Double
    ) throws {
        let store = try MonitorStore.openForWriting(
            path: self.configuration.storePath, busyTimeoutSeconds: self.configuration.busyTimeoutSeconds)
        try store.write { db in
            try MonitorStore(db).addPool(
                pool, requests: requests, waits: waits, waitSeconds: waitSeconds, connectionsReused: connectionsReused,
                peakInUse: peakInUse, at: timestamp)
        }
    }
}
