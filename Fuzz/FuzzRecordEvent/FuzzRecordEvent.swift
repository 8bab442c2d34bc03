import FuzzSupport
import PeftPerfCore

/// The wall clock the lines are judged against (2026-11-29T11:00:00Z), fixed
/// so that a run is reproducible: `ts` is accepted up to a day after it.
let fuzzNow: Double = 1_795_950_000

/// libFuzzer entry point for `record`'s input path, without the store.
///
/// The input is split into lines as ``RecordLineReader`` does (at `\n`, a
/// trailing `\r` dropped); each line goes through ``RecordEventParser`` on its
/// bytes (so invalid UTF-8 is exercised), and every accepted event goes on
/// as `record` sends it: requests into a ``RecordBatch``, queries into a
/// ``QueryRecorder``. Checked on every line:
/// - rejected lines give a non-empty reason;
/// - the `String` overload agrees with the byte overload on valid UTF-8;
/// - accepted events respect the documented ranges (``RecordLimits``): a
///   `ts` from 2000-01-01 to now + 1 day, a duration of at most an hour,
///   a status from 100 to 599, rows from 0 to 10^12; and their times format
///   as RFC 3339;
/// - the fast endpoint normalizer agrees with ``EndpointNormalizer``.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecordEvent(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = UnsafeBufferPointer(start: data, count: size)
    var batch = RecordBatch(maxEndpoints: 4, maxPendingRows: 8)
    let recorder = QueryRecorder()
    var start = 0
    while start <= size {
        var end = start
        while end < size, input[end] != 0x0A { end += 1 }
        var lineEnd = end
        if lineEnd > start, input[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let line = UnsafeBufferPointer(rebasing: input[start..<lineEnd])
        checkLine(line, batch: &batch, recorder: recorder)
        if batch.isFull { _ = batch.takeRows() }
        start = end + 1
    }
    _ = batch.takeRows()
    for statistics in recorder.statistics() {
        _ = (statistics.p50Seconds, statistics.p99Seconds, statistics.stddevSeconds)
    }
    return 0
}

func checkLine(_ line: UnsafeBufferPointer<UInt8>, batch: inout RecordBatch, recorder: QueryRecorder) {
    let event: RecordEvent?
    do {
        event = try RecordEventParser.parse(line, now: fuzzNow)
    } catch {
        precondition(!error.reason.isEmpty, "empty reason")
        _ = error.description
        if let text = String(validating: line, as: UTF8.self) {
            do {
                _ = try RecordEventParser.parse(text, now: fuzzNow)
                preconditionFailure(
                    "String overload accepts a line the byte overload rejects: \(text.debugDescription)")
            } catch {
                // Rejected by both, as it should be.
            }
        }
        return
    }
    if let text = String(validating: line, as: UTF8.self) {
        do {
            let again = try RecordEventParser.parse(text, now: fuzzNow)
            precondition(again == event, "String overload disagrees on \(text.debugDescription)")
        } catch {
            preconditionFailure("String overload rejects \(text.debugDescription): \(error)")
        }
    }
    guard let event else { return }
    switch event {
    case .request(let request):
        precondition(RecordLimits.isPlausible(durationSeconds: request.durationSeconds))
        if let status = request.status { precondition(RecordLimits.statusRange.contains(status)) }
        // Only a line with a `route` may leave the endpoint out.
        precondition(
            request.route != nil
                || !request.endpoint.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
        precondition(request.endpoint.utf8.count <= RecordEventParser.maxEndpointBytes)
        if let route = request.route {
            precondition(
                route.utf8.first == UInt8(ascii: "/") && route.utf8.count <= RecordEventParser.maxEndpointBytes)
        }
        if let method = request.method {
            precondition(!method.isEmpty && method.utf8.count <= 16 && method == method.uppercased())
        }
        if let error = request.error { precondition(!error.isEmpty && error.utf8.count <= 64) }
        if let timestamp = request.timestamp { checkTimestamp(timestamp) }
        batch.add(request, now: fuzzNow)
    case .query(let query):
        precondition(RecordLimits.isPlausible(durationSeconds: query.durationSeconds))
        if let rows = query.rows { precondition((0...RecordLimits.maxRows).contains(rows)) }
        precondition(!query.sql.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
        if let timestamp = query.timestamp { checkTimestamp(timestamp) }
        recorder.record(
            sql: query.sql, database: query.database ?? "", seconds: query.durationSeconds, rows: query.rows ?? 0,
            failed: query.failed, timestamp: query.timestamp)
    }
}

/// An accepted `ts` is within range, and reports can show it as RFC 3339.
func checkTimestamp(_ timestamp: Double) {
    precondition(RecordLimits.isPlausible(timestamp: timestamp, now: fuzzNow), "ts \(timestamp) out of range")
    for text in [RecordTimestamp.format(timestamp), WallClock.iso8601(timestamp)] {
        guard case .success = RecordTimestamp.parse(text) else { preconditionFailure("\(text) is not RFC 3339") }
    }
}

/// SwiftPM links executable targets with `main` aliased to `<Target>_main`,
/// which would shadow libFuzzer's own `main`; so this entry point hands
/// control to libFuzzer's driver explicitly.
@_cdecl("FuzzRecordEvent_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzRecordEvent)
}
