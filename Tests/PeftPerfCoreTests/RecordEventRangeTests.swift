import Foundation
import Testing

@testable import PeftPerfCore

/// Every number a `record` line carries has a plausible range
/// (``RecordLimits``): a value outside is a bad line naming its field, and a
/// value inside goes all the way into the store and the reports without
/// trapping. The cases are generated: every numeric field of every event
/// type, against the same hostile values and the values on each side of
/// its range's bounds.
@Suite struct RecordEventRangeTests {
    /// A numeric field of one event type, and its range.
    struct Field: CustomStringConvertible, Sendable {
        var type: String
        var name: String
        /// Whether a number must be a whole number.
        var integer: Bool
        var lower: Double
        var upper: Double
        /// Whether `null` is accepted (the field is then absent).
        var nullable: Bool

        var description: String { "\(self.type).\(self.name)" }
    }

    /// The wall clock for the whole suite, in whole seconds.
    static let now = RecordTimestamp.now().rounded(.down)

    static let fields: [Field] = {
        let ts = (RecordLimits.earliestTimestamp, RecordLimits.latestTimestamp(now: Self.now))
        var out: [Field] = []
        for type in ["request", "query"] {
            out.append(
                Field(
                    type: type, name: "duration_ms", integer: false, lower: 0,
                    upper: RecordLimits.maxDurationMilliseconds, nullable: false))
            out.append(Field(type: type, name: "ts", integer: false, lower: ts.0, upper: ts.1, nullable: true))
        }
        out.append(
            Field(
                type: "request", name: "status", integer: true, lower: Double(RecordLimits.statusRange.lowerBound),
                upper: Double(RecordLimits.statusRange.upperBound), nullable: true))
        out.append(
            Field(
                type: "query", name: "rows", integer: true, lower: 0, upper: Double(RecordLimits.maxRows),
                nullable: true))
        return out
    }()

    /// A line of `field.type` with every required field, and `field` set to
    /// `value` (JSON text, inserted as is).
    static func line(_ field: Field, _ value: String) -> String {
        var parts = [#""type":"\#(field.type)""#]
        parts.append(field.type == "request" ? #""endpoint":"GET /range/x""# : #""sql":"SELECT 1 FROM t""#)
        if field.name != "duration_ms" { parts.append(#""duration_ms":2.5"#) }
        parts.append("\"\(field.name)\":\(value)")
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// A number as JSON text, exact for the integers used here.
    static func json(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// The values tried on every field, with whether the field must accept
    /// them (nil: rejected or accepted, either is fine, as long as a
    /// rejection names the field).
    static func cases(for field: Field) -> [(text: String, accepted: Bool?)] {
        var out: [(String, Bool?)] = [
            ("0", field.lower <= 0 && 0 <= field.upper),
            ("-1", false),
            ("-0", field.lower <= 0 && 0 <= field.upper),
            ("9223372036854775807", false),
            ("-9223372036854775808", false),
            ("18446744073709551616", false),
            ("1e308", false),
            ("-1e308", false),
            ("1e400", false),
            ("1e20", false),
            ("NaN", false),
            ("-NaN", false),
            ("Infinity", false),
            ("-Infinity", false),
            (#""NaN""#, false),
            (#""""#, false),
            ("true", false),
            ("[1]", false),
            ("{}", false),
            ("1.5e", false),
            ("null", field.nullable),
        ]
        // On each side of each bound: the bound itself, then a step outside.
        let step = field.integer ? 1 : 0.5
        out.append((Self.json(field.lower), true))
        out.append((Self.json(field.upper), true))
        out.append((Self.json(field.lower - step), false))
        out.append((Self.json(field.upper + step), false))
        out.append((Self.json(field.lower + step), true))
        out.append((Self.json(field.upper - step), true))
        if field.integer { out.append((Self.json(field.lower + 0.5), false)) }
        if field.name == "ts" {
            let latest = Self.now + RecordLimits.futureToleranceSeconds
            out += [
                (#""2000-01-01T00:00:00Z""#, true), (#""1999-12-31T23:59:59Z""#, false),
                (#""1970-01-01T00:00:00Z""#, false), (#""9999-12-31T23:59:59Z""#, false),
                (#""0000-01-01T00:00:00Z""#, false),
                ("\"\(RecordTimestamp.format(latest))\"", true),
                ("\"\(RecordTimestamp.format(latest + 1))\"", false),
                (#""2000-01-01T00:59:59+01:00""#, false),
                (Self.json((Self.now - 3600) * 1000), false), (Self.json((Self.now - 3600) * 1e6), false),
                ("\((Self.now - 3600) * 1e9)", false),
            ]
        }
        return out
    }

    @Test(arguments: Self.fields)
    func everyValueIsRangeCheckedAndNamesItsField(_ field: Field) throws {
        var accepted: [String] = []
        for (text, expected) in Self.cases(for: field) {
            let line = Self.line(field, text)
            do {
                let event = try RecordEventParser.parse(line, now: Self.now)
                if expected == false { Issue.record("\(field) = \(text) was accepted: \(line)") }
                try Self.checkInRange(try #require(event), field: field, text: text)
                accepted.append(line)
            } catch let error as RecordLineError {
                if expected == true { Issue.record("\(field) = \(text) was rejected: \(error.reason)") }
                #expect(
                    error.reason.contains("\"\(field.name)\""),
                    "\(field) = \(text): the reason does not name the field: \(error.reason)")
            }
        }
        #expect(accepted.count >= 4, "\(field): too few values accepted to test the round trip")
        try Self.roundTrip(accepted, field: field)
    }

    /// What the parser kept is within the documented range.
    static func checkInRange(_ event: RecordEvent, field: Field, text: String) throws {
        let context = "\(field) = \(text)"
        switch event {
        case .request(let request):
            #expect(RecordLimits.isPlausible(durationSeconds: request.durationSeconds), "\(context)")
            if let status = request.status { #expect(RecordLimits.statusRange.contains(status), "\(context)") }
            if let ts = request.timestamp {
                #expect(RecordLimits.isPlausible(timestamp: ts, now: Self.now), "\(context)")
            }
        case .query(let query):
            #expect(RecordLimits.isPlausible(durationSeconds: query.durationSeconds), "\(context)")
            if let rows = query.rows { #expect((0...RecordLimits.maxRows).contains(rows), "\(context)") }
            if let ts = query.timestamp {
                #expect(RecordLimits.isPlausible(timestamp: ts, now: Self.now), "\(context)")
            }
        }
    }

    /// Records the accepted lines into a real store (a threshold of 0 puts
    /// every query in the slow log too), then builds every report from it.
    static func roundTrip(_ lines: [String], field: Field) throws {
        let directory = try TemporaryDirectory()
        let input = directory.file("events.ndjson")
        FileManager.default.createFile(atPath: input, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        let store = directory.file("store.sqlite")
        let fd = open(input, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var configuration = PerformanceService.Configuration(storePath: store)
        // Long enough that no accepted `ts` (from 2000 on) is pruned.
        configuration.retentionSeconds = 40 * 365 * 86_400
        let service = PerformanceService(configuration: configuration)
        let summary = try service.record(fd: fd, options: RecordIngestor.Options(slowThresholdSeconds: 0))
        #expect(summary.badLines == 0, "\(field): \(summary.badLineDetails)")
        #expect(summary.requestsRecorded + summary.queriesRecorded == lines.count, "\(field)")

        #expect(
            StorePlausibility.impossibleRowCount(storePath: store, busyTimeout: 5) == 0,
            "\(field): an accepted value made a row the reports skip")
        let report = try service.metricsReport(sinceSeconds: nil, limit: 20)
        _ = report.prometheusText()
        let encoder = JSONEncoder()
        _ = try encoder.encode(report)
        if field.type == "request" {
            #expect(report.requests.totalRequests == UInt64(lines.count), "\(field)")
            for seen in [report.requests.firstSeen, report.requests.lastSeen] {
                let text = try #require(seen)
                #expect(RecordTimestamp.parse(text).isSuccess, "\(field): \(text) is not RFC 3339")
            }
        } else {
            let slow = try SlowQueryReport.build(databasePath: nil, storePath: store, limit: 100, threshold: 0)
            #expect(slow.total == lines.count, "\(field)")
            for entry in slow.slowQueries {
                #expect(RecordTimestamp.parse(entry.timestamp).isSuccess, "\(field): \(entry.timestamp)")
            }
            _ = try encoder.encode(slow)
        }
    }

    /// A `ts` that looks like a finer unit than seconds gets a hint naming it.
    @Test(arguments: [
        (1e3, "milliseconds", "divide by 1000"), (1e6, "microseconds", "divide by 1000000"),
        (1e9, "nanoseconds", "divide by 1000000000"),
    ])
    func timestampInAFinerUnitGetsAHint(_ scale: Double, _ unit: String, _ remedy: String) {
        let seconds = (Self.now - 86_400).rounded(.down)
        let text = scale < 1e9 ? Self.json(seconds * scale) : "\(seconds * scale)"
        let line = #"{"type":"request","endpoint":"GET /x","duration_ms":1,"ts":\#(text)}"#
        #expect(throws: RecordLineError.self) { try RecordEventParser.parse(line, now: Self.now) }
        do {
            _ = try RecordEventParser.parse(line, now: Self.now)
        } catch {
            #expect(error.reason.contains("\"ts\""))
            #expect(error.reason.contains("out of range (2000-01-01…now+1d)"), "\(error.reason)")
            #expect(error.reason.contains("looks like \(unit) since the epoch: \(remedy)"), "\(error.reason)")
        }
    }

    /// `format` is total: whatever a damaged store holds, the text is RFC 3339.
    @Test(
        arguments: [
            -1e308, -1e20, -62_167_219_201, 0, 1e10, 253_402_300_800, 1e20, 1e308, .infinity, -.infinity, .nan,
        ] as [Double])
    func formattingAnyTimeGivesRFC3339(_ seconds: Double) {
        for text in [RecordTimestamp.format(seconds), WallClock.iso8601(seconds)] {
            #expect(RecordTimestamp.parse(text).isSuccess, "\(seconds) → \(text)")
        }
        let milliseconds = RecordTimestamp.formatMilliseconds(seconds)
        #expect(RecordTimestamp.parse(milliseconds).isSuccess, "\(seconds) → \(milliseconds)")
    }
}

extension Result {
    fileprivate var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}
