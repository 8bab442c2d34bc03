import Foundation
import Testing

@testable import PeftPerfCore

@Suite struct RecordEventParserTests {
    @Test func requestEventFromTheIssue() throws {
        let event = try RecordEventParser.parse(
            #"{"type":"request","endpoint":"GET /api/runs","duration_ms":12.5,"status":200,"ts":"2026-11-29T10:00:00Z"}"#
        )
        let expected = RecordEvent.request(
            RecordEvent.Request(
                endpoint: "GET /api/runs", durationSeconds: 0.0125, status: 200, error: nil,
                timestamp: 1_795_946_400))
        #expect(event == expected)
    }

    @Test func queryEventFromTheIssue() throws {
        let event = try RecordEventParser.parse(
            #"{"type":"query","sql":"SELECT * FROM t WHERE id = 1","duration_ms":3.1,"rows":20,"db":"/path/app.db"}"#)
        guard case .query(let query) = event else {
            Issue.record("not a query: \(String(describing: event))")
            return
        }
        #expect(query.sql == "SELECT * FROM t WHERE id = 1")
        #expect(abs(query.durationSeconds - 0.0031) < 1e-15)
        #expect(query.rows == 20)
        #expect(query.database == "/path/app.db")
        #expect(query.failed == false)
        #expect(query.timestamp == nil)
    }

    @Test func fieldOrderWhitespaceEscapesAndUnknownKeys() throws {
        let event = try RecordEventParser.parse(
            " { \"extra\" : {\"a\":[1,2,{\"b\":null}],\"c\":\"x\"}, \"status\" : null , \"error\":\"timeout\","
                + " \"duration_ms\" : 1e3, \"endpoint\" : \"GET /caf\\u00e9/\\ud83d\\ude00\\\"q\\\"\", \"type\":\"request\" }\t"
        )
        #expect(
            event
                == .request(
                    RecordEvent.Request(
                        endpoint: "GET /café/😀\"q\"", durationSeconds: 1, status: nil, error: "timeout")))
    }

    @Test func errorBooleanAndNumericTimestamp() throws {
        let event = try RecordEventParser.parse(
            #"{"type":"request","endpoint":"/x","duration_ms":0,"error":true,"ts":1795946400.5}"#)
        #expect(
            event
                == .request(
                    RecordEvent.Request(
                        endpoint: "/x", durationSeconds: 0, status: nil, error: "error", timestamp: 1_795_946_400.5)))
    }

    @Test func blankLinesAreSkipped() throws {
        #expect(try RecordEventParser.parse("") == nil)
        #expect(try RecordEventParser.parse("   \t ") == nil)
    }

    @Test(arguments: [
        ("not json", "invalid JSON at column 1"),
        (#"[1,2]"#, "expected a JSON object"),
        (#"{"type":"request","endpoint":"/x"}"#, "missing \"duration_ms\""),
        (#"{"endpoint":"/x","duration_ms":1}"#, "missing \"type\""),
        (#"{"type":"trace","duration_ms":1}"#, "unknown type \"trace\""),
        (#"{"type":"request","duration_ms":1}"#, "missing \"endpoint\""),
        (#"{"type":"query","duration_ms":1}"#, "missing \"sql\""),
        (#"{"type":"query","sql":"  ","duration_ms":1}"#, "\"sql\" is empty"),
        (#"{"type":"request","endpoint":"","duration_ms":1}"#, "\"endpoint\" is empty"),
        (#"{"type":"request","endpoint":"/x","duration_ms":-1}"#, "\"duration_ms\" -1 is out of range (0…3600000"),
        (#"{"type":"request","endpoint":"/x","duration_ms":"12"}"#, "\"duration_ms\" must be a number, not a string"),
        (#"{"type":"request","endpoint":"/x","duration_ms":1e999}"#, "\"duration_ms\" inf is out of range"),
        (#"{"type":"request","endpoint":"/x","duration_ms":3600000.5}"#, "\"duration_ms\" 3600000.5 is out of range"),
        (#"{"type":"request","endpoint":"/x","duration_ms":NaN}"#, "\"duration_ms\": invalid JSON"),
        (#"{"type":"request","endpoint":"/x","duration_ms":1,"ts":1e20}"#, "\"ts\" 1e+20 is out of range"),
        (
            #"{"type":"request","endpoint":"/x","duration_ms":1,"ts":1733572815123}"#,
            "\"ts\" 1733572815123 is out of range (2000-01-01…now+1d); it looks like milliseconds since the epoch: divide by 1000"
        ),
        (
            #"{"type":"request","endpoint":"/x","duration_ms":1,"ts":"9999-12-31T23:59:59Z"}"#,
            "\"ts\" \"9999-12-31T23:59:59Z\" is out of range"
        ),
        (
            #"{"type":"query","sql":"x","duration_ms":1,"rows":1e13}"#,
            "\"rows\" must be an integer from 0 to 1000000000000"
        ),
        (
            #"{"type":"request","endpoint":"/x","duration_ms":1,"status":99}"#,
            "\"status\" must be an integer from 100 to 599"
        ),
        (#"{"type":"request","endpoint":"/x","duration_ms":1,"status":200.5}"#, "\"status\" must be an integer"),
        (#"{"type":"request","endpoint":"/x","duration_ms":1,"status":"200"}"#, "\"status\" must be an integer"),
        (#"{"type":"query","sql":"x","duration_ms":1,"rows":-2}"#, "\"rows\" must be an integer from 0 to"),
        (#"{"type":"request","endpoint":"/x","endpoint":"/y","duration_ms":1}"#, "duplicate key \"endpoint\""),
        (#"{"type":"request","endpoint":"/x","duration_ms":1,"ts":"2026-11-29T10:00:00"}"#, "no UTC offset"),
        (#"{"type":"request","endpoint":"/x","duration_ms":1,"ts":"2026-02-30T10:00:00Z"}"#, "out of range"),
        (#"{"type":"request","endpoint":"/x","duration_ms":1,"ts":"yesterday"}"#, "not an RFC 3339 time"),
        (#"{"type":"request","endpoint":"/x","duration_ms":01}"#, "leading zero"),
        (#"{"type":"request","endpoint":"/x","duration_ms":1.}"#, "digit expected after '.'"),
        (#"{"type":"request","endpoint":"/x","duration_ms":1} x"#, "unexpected text after the JSON object"),
        (#"{"type":"request","endpoint":"/x","duration_ms":1,}"#, "expected a key"),
        (#"{"type":"request","endpoint":"/x","duration_ms":1"#, "unterminated object"),
        (#"{"type":"request","endpoint":"/x\ud800","duration_ms":1}"#, "lone UTF-16 surrogate"),
        (#"{"type":"request","endpoint":"/x\q","duration_ms":1}"#, "invalid escape"),
        (#"{"type":"request","endpoint":"/x","duration_ms":nul}"#, "expected a value"),
        (#"{"type":"request","endpoint":"/x","duration_ms":1,"ignored":[1,}"#, "expected a value"),
        ("{\"type\":\"request\",\"endpoint\":\"/a\tb\",\"duration_ms\":1}", "control character in string"),
    ])
    func badLinesNameTheReason(line: String, reason: String) {
        do {
            let event = try RecordEventParser.parse(line)
            Issue.record("accepted \(line) as \(String(describing: event))")
        } catch {
            #expect(error.reason.contains(reason), "\(line) → \(error.reason)")
        }
    }

    @Test(
        arguments: [
            [0xFF],  // never valid
            [0xC0, 0x80],  // overlong NUL
            [0xE0, 0x80, 0x80],  // overlong
            [0xED, 0xA0, 0x80],  // encoded surrogate
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xE2, 0x82],  // truncated
        ] as [[UInt8]])
    func invalidUTF8IsRejectedWithoutCrashing(bad: [UInt8]) {
        let line = Array(#"{"type":"request","endpoint":"/"#.utf8) + bad + Array(#"","duration_ms":1}"#.utf8)
        do {
            let event = try line.withUnsafeBufferPointer { try RecordEventParser.parse($0) }
            Issue.record("accepted invalid UTF-8 as \(String(describing: event))")
        } catch let error as RecordLineError {
            #expect(error.reason.contains("invalid UTF-8"), "\(error.reason)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Strings are scanned eight bytes at a time while plain ASCII: whatever
    /// needs a look (a quote, an escape, a control byte, UTF-8, invalid bytes)
    /// is found at every offset of the eight.
    @Test func specialBytesAreFoundAtEveryOffsetOfAWord() throws {
        func line(_ sql: [UInt8]) -> [UInt8] {
            Array(#"{"type":"query","sql":""#.utf8) + sql + Array(#"","duration_ms":1}"#.utf8)
        }
        func parsedSQL(_ bytes: [UInt8]) throws -> String? {
            guard case .query(let query) = try bytes.withUnsafeBufferPointer({ try RecordEventParser.parse($0) })
            else { return nil }
            return query.sql
        }
        for offset in 0..<20 {
            let before = [UInt8](repeating: UInt8(ascii: "a"), count: offset)
            let after = [UInt8](repeating: UInt8(ascii: "b"), count: 19 - offset)
            #expect(
                try parsedSQL(line(before + Array(#"\"\\\n\u00e9"#.utf8) + after))
                    == "\(String(decoding: before, as: UTF8.self))\"\\\né\(String(decoding: after, as: UTF8.self))")
            #expect(
                try parsedSQL(line(before + [0xC3, 0xA9, 0x7E, 0x20] + after))
                    == "\(String(decoding: before, as: UTF8.self))é~ \(String(decoding: after, as: UTF8.self))")
            for bad: [UInt8] in [[0x01], [0x1F], [0x0A], [0xFF], [0xC3], [0xED, 0xA0, 0x80]] {
                #expect(throws: RecordLineError.self, "\(bad) at \(offset)") {
                    try parsedSQL(line(before + bad + after))
                }
            }
            // A quote ends the string wherever it falls: the rest is then bad JSON.
            #expect(throws: RecordLineError.self) { try parsedSQL(line(before + [0x22] + after)) }
            #expect(
                try parsedSQL(line(before + [0x7F, 0x20, 0x21, 0x5B, 0x5D, 0x23] + after))?.utf8.count == 25)
        }
    }

    @Test func invalidUTF8OutsideStringsIsASyntaxError() {
        let line: [UInt8] = [0x7B, 0xFF, 0x7D]
        #expect(throws: RecordLineError.self) { try line.withUnsafeBufferPointer { try RecordEventParser.parse($0) } }
    }

    @Test func numbersMatchTheStandardParser() throws {
        for text in [
            "0", "0.1", "12.5", "3.14159", "1e-3", "2.5E+2", "123456789012345678901234", "0.000000000000000000001",
            "9007199254740993",
        ] {
            let line = #"{"type":"request","endpoint":"/","duration_ms":"# + text + "}"
            let value = Double(text)!
            guard value <= RecordLimits.maxDurationMilliseconds else {
                // Out of range: the reason quotes the value the parser read.
                #expect(throws: RecordLineError.self) { try RecordEventParser.parse(line) }
                do {
                    _ = try RecordEventParser.parse(line)
                } catch {
                    #expect(error.reason.contains("\"duration_ms\" \(RecordLimits.describe(value)) is out"), "\(text)")
                }
                continue
            }
            let event = try RecordEventParser.parse(line)
            guard case .request(let request) = event else {
                Issue.record("no request for \(text)")
                continue
            }
            #expect(request.durationSeconds == Double(text)! / 1000, "\(text)")
        }
    }

    @Test func timestampsRoundTrip() throws {
        let cases: [(String, Double)] = [
            ("1970-01-01T00:00:00Z", 0),
            ("2026-11-29T10:00:00Z", 1_795_946_400),
            ("2026-11-29T11:30:00+01:30", 1_795_946_400),
            ("2024-02-29T00:00:00.250Z", 1_709_164_800.25),
            ("2026-11-29 10:00:00z", 1_795_946_400),
        ]
        for (text, expected) in cases {
            #expect(try RecordTimestamp.parse(text).get() == expected, "\(text)")
        }
        #expect(RecordTimestamp.format(1_795_946_400) == "2026-11-29T10:00:00Z")
        #expect(RecordTimestamp.format(1_709_164_800.9) == "2024-02-29T00:00:00Z")
    }
}
