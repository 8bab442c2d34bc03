#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import Testing

@testable import PeftPerfCore

/// `--baseline` files are validated before they gate anything: a baseline
/// with zero, missing, negative or mistyped figures, or a file that is not a
/// bench result at all, is refused with one line naming the file and the field.
@Suite struct HTTPBenchBaselineValidationTests {
    /// A baseline as `bench --json` writes it, as a JSON object.
    static func good() -> [String: Any] {
        [
            "schema_version": 1, "suite": "http",
            "total": [
                "requests": 100, "errors": 0, "rps": 512.5,
                "latency_seconds": [
                    "mean": 0.002, "p50": 0.0015, "p90": 0.003, "p95": 0.004, "p99": 0.006, "p999": 0.009,
                    "max": 0.012,
                ],
            ] as [String: Any],
        ]
    }

    /// Every field the validation requires or checks, as a key path.
    static let fields: [[String]] =
        [["schema_version"], ["total"], ["total", "rps"], ["total", "latency_seconds"]]
        + HTTPBenchBaseline.latencyKeys.map { ["total", "latency_seconds", $0] }

    /// What replaces a field, as JSON text: nil removes it.
    static let replacements: [(name: String, json: String?)] = [
        ("removed", nil), ("zero", "0"), ("negative", "-1"), ("negative fraction", "-0.001"),
        ("NaN string", "\"NaN\""), ("number string", "\"12\""), ("null", "null"), ("boolean", "true"),
        ("array", "[1]"), ("object", "{\"x\":1}"), ("overflowing", "1e999"),
    ]

    static let placeholder = "@@replaced@@"

    /// The good baseline with the field at `path` replaced by `json` (or removed).
    func text(replacing path: [String], with json: String?) throws -> String {
        let object = Self.setting(Self.good(), path[...], to: json == nil ? nil : Self.placeholder)
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let text = String(decoding: data, as: UTF8.self)
        return json.map { text.replacingOccurrences(of: "\"\(Self.placeholder)\"", with: $0) } ?? text
    }

    static func setting(_ object: [String: Any], _ path: ArraySlice<String>, to value: Any?) -> [String: Any] {
        var object = object
        guard let key = path.first else { return object }
        if path.count == 1 {
            object[key] = value
        } else if let inner = object[key] as? [String: Any] {
            object[key] = Self.setting(inner, path.dropFirst(), to: value)
        }
        return object
    }

    func write(_ text: String, in dir: TemporaryDirectory, name: String = "base.json") throws -> String {
        let path = dir.file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func aGoodBaselineIsRead() throws {
        let dir = try TemporaryDirectory()
        let figures = try HTTPBenchBaseline.load(path: try self.write(try self.json(Self.good()), in: dir))
        #expect(figures == HTTPBenchBaseline.Figures(p99Seconds: 0.006, rps: 512.5))
    }

    @Test func everyBadFigureIsRefusedNamingItsField() throws {
        let dir = try TemporaryDirectory()
        var tried = 0
        for field in Self.fields {
            for (name, json) in Self.replacements {
                let path = try self.write(try self.text(replacing: field, with: json), in: dir)
                tried += 1
                if field.count == 3, field[2] != "p99", json == nil {
                    // Only p99 is required; the other latencies are checked when given.
                    #expect(throws: Never.self) { try HTTPBenchBaseline.load(path: path) }
                    continue
                }
                let error = #expect(throws: ValueParseError.self, "\(field) \(name)") {
                    try HTTPBenchBaseline.load(path: path)
                }
                let reason = error?.reason ?? ""
                #expect(!reason.contains("\n"), "\(field) \(name): \(reason)")
                #expect(reason.contains(path), "\(field) \(name): \(reason)")
                #expect(
                    reason.contains(field.joined(separator: ".")) || reason.contains("is not valid JSON"),
                    "\(field) \(name): \(reason)")
            }
        }
        #expect(tried == Self.fields.count * Self.replacements.count)
    }

    @Test func aWrongSchemaVersionIsRefused() throws {
        let dir = try TemporaryDirectory()
        for version in [0, 2, 99] {
            let path = try self.write(
                try self.json(Self.setting(Self.good(), ["schema_version"], to: version)), in: dir)
            let error = #expect(throws: ValueParseError.self) { try HTTPBenchBaseline.load(path: path) }
            #expect(error?.reason.contains("schema_version is \(version); this peft-perf reads 1") == true)
        }
    }

    /// Files that are not a bench result at all: one line each, never a raw error dump.
    @Test func filesThatAreNotABenchResultGetOneLine() throws {
        let dir = try TemporaryDirectory()
        var cases: [(path: String, expected: String)] = [
            (dir.file("missing.json"), "does not exist"),
            (dir.file("missing/dir/base.json"), "does not exist"),
            (dir.path, "is a directory"),
            (try self.write("{", in: dir, name: "brace.json"), "is not valid JSON"),
            (try self.write("", in: dir, name: "empty.json"), "is empty"),
            (try self.write("[1, 2]", in: dir, name: "array.json"), "top level is not an object"),
            (try self.write("\"text\"", in: dir, name: "string.json"), "top level is not an object"),
            (try self.write("{\"schema_version\": NaN}", in: dir, name: "nan.json"), "is not valid JSON"),
            (try self.write("{\"x\":1}", in: dir, name: "other.json"), "schema_version is missing"),
            (try self.write("{\"schema_version\":1}", in: dir, name: "nototal.json"), "total is missing"),
        ]
        let binary = dir.file("binary.json")
        try Data([0x7B, 0x00, 0xFF, 0xFE, 0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: binary))
        cases.append((binary, "binary content"))
        let nul = dir.file("nul.json")
        try Data("{\"schema_version\":1}\u{0}".utf8).write(to: URL(fileURLWithPath: nul))
        cases.append((nul, "binary content"))
        let fifo = dir.file("fifo.json")
        #expect(mkfifo(fifo, 0o600) == 0)
        cases.append((fifo, "is not a regular file"))
        let big = dir.file("big.json")
        #expect(
            truncate(try self.write("{", in: dir, name: "big.json"), off_t(HTTPBenchBaseline.maxFileBytes + 1)) == 0)
        cases.append((big, "larger than a bench result can be"))
        for (path, expected) in cases {
            let error = #expect(throws: ValueParseError.self, "\(path)") { try HTTPBenchBaseline.load(path: path) }
            let reason = error?.reason ?? ""
            #expect(reason.contains(expected), "\(path): \(reason)")
            #expect(!reason.contains("\n") && !reason.contains("Error("), "\(path): \(reason)")
        }
    }
}
