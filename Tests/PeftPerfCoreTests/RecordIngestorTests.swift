import Foundation
import Testing

@testable import PeftPerfCore

/// A sink that keeps committed batches in memory, with the same all-or-nothing contract.
struct MemoryRecordSink: RecordSink {
    var pendingRows: [MonitorStoreRow] = []
    var pendingQueries: [RecordEvent.Query] = []
    var committedRows: [MonitorStoreRow] = []
    var committedQueries: [RecordEvent.Query] = []
    var begun = 0
    var commits = 0
    var rollbacks = 0

    mutating func beginBatch() throws { self.begun += 1 }
    mutating func write(rows: [MonitorStoreRow]) throws { self.pendingRows += rows }
    mutating func write(query: RecordEvent.Query, slowThresholdSeconds: Double) throws {
        self.pendingQueries.append(query)
    }
    mutating func commitBatch() throws {
        self.committedRows += self.pendingRows
        self.committedQueries += self.pendingQueries
        self.pendingRows = []
        self.pendingQueries = []
        self.commits += 1
    }
    mutating func rollbackBatch() {
        self.pendingRows = []
        self.pendingQueries = []
        self.rollbacks += 1
    }

    var summary: MonitorStoreSummary { MonitorStoreSummary(rows: self.committedRows) }
}

@Suite struct RecordIngestorTests {
    func withFile<T>(_ text: String, _ body: (Int32) throws -> T) throws -> T {
        let path = try ScratchRoot.directory().appendingPathComponent("peft-ingest")
            .path
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        return try body(fd)
    }

    let good = """
        {"type":"request","endpoint":"GET /api/runs","duration_ms":12.5,"status":200,"ts":"2026-11-29T10:00:00Z"}
        {"type":"request","endpoint":"GET /api/runs?page=2","duration_ms":20,"status":500,"ts":"2026-11-29T10:00:30Z"}

        {"type":"query","sql":"SELECT * FROM runs WHERE id = 3","duration_ms":3.1,"rows":20,"db":"/path/app.db"}
        {"type":"request","endpoint":"POST /api/train","duration_ms":1500,"error":"timeout","ts":"2026-11-29T10:01:00Z"}

        """

    @Test func goodLinesAreAllRecordedInOneBatch() throws {
        var sink = MemoryRecordSink()
        let summary = try self.withFile(self.good) { fd in
            try RecordIngestor.run(fd: fd, into: &sink, options: .init(), now: { 1_795_946_400 })
        }
        #expect(summary.lines == 5)
        #expect(summary.blankLines == 1)
        #expect(summary.requestsRecorded == 3)
        #expect(summary.queriesRecorded == 1)
        #expect(summary.badLines == 0)
        #expect(summary.batchesCommitted == 1)
        #expect(sink.commits == 1)
        let stored = sink.summary
        #expect(stored.total.requests == 3)
        #expect(stored.total.errors == 2)
        #expect(stored.endpoints.map(\.endpoint) == ["GET /api/runs", "POST /api/train"])
        #expect(stored.endpoint("GET /api/runs")?.statusCodes == [200: 1, 500: 1])
        // Minute buckets: 10:00 holds two requests, 10:01 one.
        #expect(Set(sink.committedRows.map(\.bucketStart)) == [1_795_946_400, 1_795_946_460])
        #expect(stored.firstSeen == 1_795_946_400)
        #expect(stored.lastSeen == 1_795_946_460)
        #expect(sink.committedQueries.first?.rows == 20)
    }

    @Test func badLinesAreReportedWithTheirNumberAndSkipped() throws {
        let text =
            self.good + "{\"type\":\"request\"}\nnot json\n" + #"{"type":"request","endpoint":"/x","duration_ms":1}"#
            + "\n"
        var sink = MemoryRecordSink()
        var reported: [RecordLineError] = []
        let summary = try self.withFile(text) { fd in
            try RecordIngestor.run(fd: fd, into: &sink, options: .init(), onBadLine: { reported.append($0) })
        }
        #expect(reported.map(\.line) == [6, 7])
        #expect(reported.first?.reason == "missing \"duration_ms\"")
        #expect(reported.first?.description == "line 6: missing \"duration_ms\"")
        #expect(summary.badLines == 2)
        #expect(summary.requestsRecorded == 4)
        #expect(sink.summary.total.requests == 4)
        #expect(!summary.rolledBack)
    }

    @Test func strictWritesNothingAfterABadLine() throws {
        let text = self.good + "{oops}\n" + #"{"type":"request","endpoint":"/x","duration_ms":1}"# + "\n"
        var sink = MemoryRecordSink()
        var reported: [RecordLineError] = []
        let summary = try self.withFile(text) { fd in
            try RecordIngestor.run(
                fd: fd, into: &sink, options: .init(strict: true), onBadLine: { reported.append($0) })
        }
        #expect(summary.rolledBack)
        #expect(summary.requestsRecorded == 0)
        #expect(summary.lines == 6)  // stopped at the bad line
        #expect(reported.map(\.line) == [6])
        #expect(sink.committedRows.isEmpty)
        #expect(sink.committedQueries.isEmpty)
        #expect(sink.commits == 0)
        #expect(sink.rollbacks == 1)
    }

    @Test func streamsCommitInBatches() throws {
        var text = ""
        for i in 0..<2500 { text += #"{"type":"request","endpoint":"/s","duration_ms":\#(i % 7)}"# + "\n" }
        var sink = MemoryRecordSink()
        var options = RecordIngestor.Options(isStream: true)
        options.streamCommitEvents = 1000
        let summary = try self.withFile(text) { fd in try RecordIngestor.run(fd: fd, into: &sink, options: options) }
        #expect(summary.batchesCommitted == 3)
        #expect(summary.requestsRecorded == 2500)
        #expect(sink.summary.total.requests == 2500)
    }

    @Test func aStreamsEmptyLastCommitIsNotCountedAsABatch() throws {
        // One event per batch: two batches, then the end of input commits nothing.
        let line = #"{"type":"request","endpoint":"/s","duration_ms":1}"# + "\n"
        var sink = MemoryRecordSink()
        var options = RecordIngestor.Options(isStream: true)
        options.streamCommitEvents = 1
        let summary = try self.withFile(line + line) { fd in
            try RecordIngestor.run(fd: fd, into: &sink, options: options)
        }
        #expect(summary.batchesCommitted == 2)
        #expect(summary.requestsRecorded == 2)
        #expect(sink.summary.total.requests == 2)
    }

    @Test func aStreamBatchIsTimedFromItsFirstEvent() throws {
        // Two lines arrive together after a quiet spell longer than the commit
        // interval: they are one batch, not one batch each.
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let writeEnd = fds[1]
        let writer = Thread {
            Thread.sleep(forTimeInterval: 0.5)
            let line = #"{"type":"request","endpoint":"/s","duration_ms":1}"# + "\n"
            let text = line + line
            _ = text.withCString { write(writeEnd, $0, strlen($0)) }
            close(writeEnd)
        }
        writer.start()
        var sink = MemoryRecordSink()
        var options = RecordIngestor.Options(isStream: true)
        options.streamCommitSeconds = 0.2
        let summary = try RecordIngestor.run(fd: fds[0], into: &sink, options: options)
        #expect(summary.requestsRecorded == 2)
        #expect(summary.batchesCommitted == 1)
    }

    @Test func manyEndpointsAndMinutesStayBounded() throws {
        // 3000 distinct minutes × 3 endpoints: rows are handed to the sink as they fill.
        var text = ""
        for i in 0..<9000 {
            text +=
                #"{"type":"request","endpoint":"/e\#(i % 3)","duration_ms":1,"ts":\#(1_795_946_400 + (i / 3) * 60)}"#
                + "\n"
        }
        var sink = MemoryRecordSink()
        _ = try self.withFile(text) { fd in try RecordIngestor.run(fd: fd, into: &sink, options: .init()) }
        #expect(sink.committedRows.count == 9000)
        #expect(sink.summary.total.requests == 9000)
    }
}
