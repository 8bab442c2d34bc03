import Foundation
import Testing

@testable import PeftPerfCore

/// Inputs found by the fuzz targets under Fuzz/ (run by `.ci/fuzz`).
///
/// A test that is disabled names a bug that is still open; the fuzz target
/// skips that one class of input unless PEFT_FUZZ_KNOWN_BUGS is set. Once the
/// bug is fixed, enable the test and remove the guard in the target.
@Suite struct FuzzRegressionTests {
    // MARK: Open bugs

    /// FuzzValueParsers, FuzzAssertionExpression: `DurationParser.format`
    /// converts with `Int(s)`, which traps from 2^63 seconds on. The parser
    /// accepts such durations (`99999999999999999999999d`), and the formatter
    /// is reached with user values: `system --interval … -v`, `bench
    /// --duration` progress, assertion results, recommend thresholds.
    @Test(
        arguments: ["99999999999999999999999d", "10000000000000000000s", "p99<2509925999999999999999999999999990ms"])
    func hugeDurationsFormat(_ input: String) throws {
        let seconds: Double
        if input.hasPrefix("p99") {
            // The assertion parser now refuses a threshold beyond its
            // metric's range; the formatter must still cope with the number.
            #expect(throws: (any Error).self) { try AssertionExpression(parsing: input) }
            seconds = 2509925999999999999999999999999990e-3
        } else {
            seconds = try DurationParser.seconds(from: input)
        }
        #expect(!DurationParser.format(seconds: seconds).isEmpty)
    }

    /// FuzzRecordEvent: the parser accepted any finite `ts` >= 0, and
    /// `RecordBatch.add` → `MonitorStoreRow.bucketStart(for:width:)` converted
    /// it with `Int64(_:)`, which trapped from 2^63 on: one such line crashed
    /// `peft-perf record`. Fixed twice over: the bucket clamps, and the parser
    /// now rejects a `ts` outside 2000-01-01…now+1d (``RecordLimits``).
    @Test
    func hugeUnixTimestampDoesNotTrap() throws {
        let line = #"{"type":"request","endpoint":"GET /x","duration_ms":1,"ts":1e19}"#
        let event: RecordEvent?
        do {
            event = try RecordEventParser.parse(line)
        } catch {
            return  // rejecting the line is a fix too
        }
        guard case .request(let request) = event else {
            Issue.record("not a request: \(String(describing: event))")
            return
        }
        var batch = RecordBatch()
        batch.add(request, now: 1_764_410_400)
        #expect(batch.takeRows().count == 1)
    }

    /// FuzzEndpointNormalizer: normalizing was not idempotent, so a name the
    /// monitor had already normalized (`HTTPRequest.endpointName`) could be
    /// admitted again under a different name.
    /// - Whitespace before a dropped query or fragment stayed at the end:
    ///   `GET /a ?x=1` → `GET /a ` → `GET /a` (trimming happened before the
    ///   query was cut).
    /// - The path was split on Characters, so `/` followed by a combining
    ///   mark is one grapheme and not a separator: `\u{031E}GET /3` →
    ///   `/\u{031E}GET /3` → `//\u{031E}GET /3`. The normalizer now works on
    ///   UTF-8 bytes.
    @Test(arguments: [
        "GET /a ?x=1", "/users/7 #top", "\u{031E}GET /3", "/\u{301}x", " \u{301}/a", "GET \u{301}/1",
        "get http://U:p@Ex.COM/A/1 ?q", " \t/a/12\t#f", "GET \t?x", "/a /b", "a:// b", "GET \t/x", "x://",
        "://", "GET", "GET  ", "\r\n/a\r\n", "/a\r\n?b", "é /1", "GET /ü\u{308}/1/",
    ])
    func endpointNormalizationIsIdempotent(_ input: String) {
        let once = EndpointNormalizer.normalize(input)
        #expect(EndpointNormalizer.normalize(once) == once, "\(input.debugDescription) -> \(once.debugDescription)")
    }

    /// What the byte-level normalizer makes of the inputs that were not
    /// idempotent, and of a few neighbours.
    @Test(arguments: [
        ("GET /a ?x=1", "GET /a"),
        ("/users/7 #top", "/users/:id"),
        ("\u{031E}GET /3", "/\u{031E}GET /:id"),
        ("/\u{301}x/12", "/\u{301}x/:id"),
        ("get http://U:p@Ex.COM/A/1 ?q", "GET http://ex.com/A/:id"),
        ("GET \t?x", "GET /"),
        ("GET  /a/1", "GET /a/:id"),
        ("/a\r\n?b", "/a"),
        ("x://", "x:///"),
    ])
    func endpointNormalizationOfFormerlyUnstableInputs(input: String, expected: String) {
        #expect(EndpointNormalizer.normalize(input) == expected)
    }

    /// The same property over generated inputs mixing the bytes the
    /// normalizer looks for with whitespace and combining marks.
    @Test func endpointNormalizationIsIdempotentOnGeneratedInputs() {
        var generator = SplitMix64(seed: 11)
        let pieces = [
            "/", "/", " ", "\t", "?", "#", ":", "://", "@", "GET", "get", "http", "42", "deadbeefdeadbeef", "a", "Ü",
            "\u{301}", "\u{31E}", "\r\n", "\n", "%20", ".", "-",
        ]
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int(generator.next() % 8) {
                text += pieces[Int(generator.next() % UInt64(pieces.count))]
            }
            let once = EndpointNormalizer.normalize(text)
            #expect(EndpointNormalizer.normalize(once) == once, "\(text.debugDescription) -> \(once.debugDescription)")
        }
    }

    /// FuzzProcParsers harness, found by reading: without a usable
    /// `MemAvailable`, `MemoryInfo.estimatedAvailable` converts a Double that
    /// can exceed Int64 (`MemFree` up to 2^64 bytes) with `Int64(_:)`, which
    /// traps; `available(lowWatermarkBytes:)` should clamp instead.
    @Test
    func hugeMemFreeDoesNotTrap() throws {
        let meminfo = """
            MemTotal: 16318140 kB
            MemFree: 18014398509481983 kB
            Active(file): 1 kB
            Inactive(file): 1 kB
            SReclaimable: 1 kB
            """
        let memory = try MemoryInfo.parse(procMeminfo: meminfo)
        #expect(memory.available(lowWatermarkBytes: 0) <= memory.freeBytes)
    }

    // MARK: Seed corpora

    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    /// The histogram seeds were written by hand from the documented layout;
    /// if the format changes they must be regenerated, or the fuzzer starts
    /// from nothing but rejected blobs.
    @Test func histogramSeedsDecode() throws {
        let directory = Self.corpus.appendingPathComponent("FuzzHistogramDecoder")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names.count >= 3)
        for name in names {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
            let histogram = try HDRHistogram(serialized: bytes)
            #expect(histogram.serialized() == bytes, "\(name) is not in canonical form")
        }
    }

    /// The record seeds are lines `record` accepts (apart from the one that
    /// shows rejected and blank lines), except the `hostile-*` ones: numbers
    /// out of their range (issue 12), each line a bad line naming its field.
    @Test func recordSeedsParse() throws {
        let directory = Self.corpus.appendingPathComponent("FuzzRecordEvent")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names.contains { $0.hasPrefix("hostile-") })
        for name in names where name != "invalid-and-blank" {
            let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
            for var line in bytes.split(separator: UInt8(ascii: "\n")) {
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                if name.hasPrefix("hostile-") {
                    do {
                        let event = try Array(line).withUnsafeBufferPointer { try RecordEventParser.parse($0) }
                        Issue.record("\(name): accepted \(String(describing: event))")
                    } catch let error as RecordLineError {
                        let named = ["\"ts\"", "\"duration_ms\"", "\"status\"", "\"rows\""].contains {
                            error.reason.contains($0)
                        }
                        #expect(named, "\(name): \(error.reason)")
                    } catch {
                        Issue.record("\(name): \(error)")
                    }
                    continue
                }
                let event = try Array(line).withUnsafeBufferPointer { try RecordEventParser.parse($0) }
                #expect(event != nil, "\(name)")
            }
        }
    }
}

@Suite struct FuzzCrashRegressionTests {
    static func bytes(_ base64: String) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for c in base64.utf8 where c != UInt8(ascii: "=") {
            guard let v = alphabet.firstIndex(of: c) else { continue }
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }

    /// CI fuzzing (FuzzEndpointNormalizer): "/" then a combining mark after the host.
    /// The normalizer splits on bytes, so the authority ends at the byte "/" and
    /// the "@" later in the path is not a credential; the harness had compared
    /// Characters, where "/" and the mark are one.
    @Test func aSlashFollowedByACombiningMarkEndsTheAuthority() {
        let input = String(
            decoding: Self.bytes(
                "aHR0cHM6Ly91c2Uv2Jrvv73vv71lbnBx7+np6enp6elFeGFtT2xvYXR0QEUvCgpHRVQgL2MKRwB4PTEjZnJhZw=="),
            as: UTF8.self)
        let once = EndpointNormalizer.normalize(input)
        #expect(EndpointNormalizer.normalize(once) == once)
        #expect(once.utf8.starts(with: "https://use/".utf8))
        let authority = once.utf8.dropFirst("https://".utf8.count).prefix { $0 != UInt8(ascii: "/") }
        #expect(!authority.contains(UInt8(ascii: "@")))
    }

    /// CI fuzzing (FuzzHTTP): libcurl took "::1%40ss@[" as a host with a zone id,
    /// and could not parse the URL it rebuilt without the credentials.
    @Test(arguments: ["https://user:pa%40ss@[::1%40ss@[]:8443/x", "http://[::1%25@x]/", "http://[fe80::1%eth0/]/"])
    func zoneIDsThatAreNotInterfaceNamesAreRefused(_ text: String) {
        #expect(throws: HTTPURLError.self) { try HTTPURL(text) }
    }

    @Test func anInterfaceNameZoneIDIsAccepted() throws {
        let url = try HTTPURL("http://user:secret@[fe80::1%25eth0]:8080/x")
        #expect(!url.redacted.contains("secret"))
        #expect(try HTTPURL(url.redacted).scheme == "http")
    }
}
