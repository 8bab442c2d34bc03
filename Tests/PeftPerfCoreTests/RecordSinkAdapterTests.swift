import Foundation
import Testing

@testable import PeftPerfCore

/// The store's `record` sink: query events aggregated in the sink land as the
/// library's own ``QueryRecorder`` would save them, in the batch's transaction.
@Suite struct RecordSinkAdapterTests {
    func withStore<T>(_ body: (PerformanceStore) throws -> T) throws -> T {
        let directory = try ScratchRoot.directory().appendingPathComponent("peft-sink")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try MonitorStore.openForWriting(
            path: directory.appendingPathComponent("store.sqlite").path, busyTimeoutSeconds: 5)
        return try body(store)
    }

    func events(_ count: Int) -> [RecordEvent.Query] {
        var events: [RecordEvent.Query] = []
        for i in 0..<count {
            let sql: String =
                i % 3 == 0 ? "select * from runs where id = \(i)" : "UPDATE runs SET n = \(i) WHERE id IN (\(i), 2)"
            let seconds: Double = i % 10 == 0 ? 1.5 + Double(i) / 1000 : Double(i % 17) / 1000
            let database: String? = i % 4 == 0 ? nil : "/app.db"
            events.append(
                RecordEvent.Query(
                    sql: sql, durationSeconds: seconds, rows: i % 5, database: database, failed: i % 7 == 0,
                    timestamp: 1_795_946_400 + Double(i)))
        }
        return events
    }

    @Test func queryEventsLandAsTheQueryRecorderSavesThem() throws {
        let events = self.events(300)
        let viaSink = try self.withStore { store in
            var sink = MonitorStore.RecordSinkAdapter(store: store, retentionSeconds: 1e9, slowThresholdSeconds: 1)
            try sink.beginBatch()
            for event in events { try sink.write(query: event, slowThresholdSeconds: 1) }
            try sink.commitBatch()
            return (
                try QueryStatisticsStore.statistics(in: store),
                try QueryStatisticsStore.slowQueries(in: store, limit: 1000)
            )
        }
        let viaRecorder = try self.withStore { store in
            var configuration = QueryRecorder.Configuration()
            configuration.explainSlowQueries = false
            let recorder = QueryRecorder(configuration: configuration)
            for event in events {
                recorder.record(
                    sql: event.sql, database: event.database ?? "", seconds: event.durationSeconds,
                    rows: event.rows ?? 0, failed: event.failed, timestamp: event.timestamp)
            }
            try recorder.flush(to: store)
            return (
                try QueryStatisticsStore.statistics(in: store),
                try QueryStatisticsStore.slowQueries(in: store, limit: 1000)
            )
        }
        #expect(viaSink.0.count == 4)  // two statements on two databases
        #expect(viaSink.0 == viaRecorder.0)
        #expect(viaSink.1.total == 30)
        #expect(viaSink.1.entries == viaRecorder.1.entries)
        #expect(viaSink.1.entries.allSatisfy { $0.sql == nil && $0.statement.contains("?") })
    }

    @Test func moreStatementsThanHeldAreSavedNotDropped() throws {
        let count = MonitorStore.RecordSinkAdapter.maxStatements + 700
        let statistics = try self.withStore { store in
            var sink = MonitorStore.RecordSinkAdapter(store: store, retentionSeconds: 1e9, slowThresholdSeconds: 1)
            try sink.beginBatch()
            for round in 0..<2 {
                for i in 0..<count {
                    try sink.write(
                        query: RecordEvent.Query(sql: "SELECT a FROM t\(i) WHERE b = \(round)", durationSeconds: 0.001),
                        slowThresholdSeconds: 1)
                }
            }
            #expect(sink.queryStatistics.count < MonitorStore.RecordSinkAdapter.maxStatements)
            try sink.commitBatch()
            return try QueryStatisticsStore.statistics(in: store)
        }
        #expect(statistics.count == count)
        #expect(statistics.allSatisfy { $0.calls == 2 })
    }

    @Test func aRolledBackBatchLeavesNoQueries() throws {
        let statistics = try self.withStore { store in
            var sink = MonitorStore.RecordSinkAdapter(store: store, retentionSeconds: 1e9, slowThresholdSeconds: 1)
            try sink.beginBatch()
            // Enough statements that some were already saved into the open transaction.
            for i in 0..<(MonitorStore.RecordSinkAdapter.maxStatements + 10) {
                try sink.write(
                    query: RecordEvent.Query(sql: "SELECT a FROM t\(i)", durationSeconds: 2), slowThresholdSeconds: 1)
            }
            sink.rollbackBatch()
            try sink.beginBatch()
            try sink.commitBatch()
            return (
                try QueryStatisticsStore.statistics(in: store),
                try QueryStatisticsStore.slowQueries(in: store).total
            )
        }
        #expect(statistics.0.isEmpty)
        #expect(statistics.1 == 0)
    }
}
