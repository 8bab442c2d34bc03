#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension HTTPBenchBaseline {
    /// The largest baseline file read: a `bench --json` result is a few KiB.
    static let maxFileBytes = 16 << 20

    /// The latency figures of `total.latency_seconds` that must be positive
    /// when present; `p99` must be present.
    static let latencyKeys = ["mean", "p50", "p90", "p95", "p99", "p999", "max"]

    /// Reads and validates the figures of a `bench --json` file.
    ///
    /// A baseline saved from a run where nothing succeeded holds zero or null
    /// figures, and one edited by hand may hold anything; compared against,
    /// such figures would pass every gate. So the file must have
    /// `schema_version` 1, a positive `total.rps` and a positive
    /// `total.latency_seconds.p99`, and every other latency it gives must be
    /// positive too.
    ///
    /// - Throws: ``ValueParseError`` in one line, naming the file and, for a bad
    ///   figure, the field: a missing file, a directory or other non-regular
    ///   file, binary content, invalid JSON, or a missing, mistyped, zero,
    ///   negative or non-finite figure. The CLI reports it as a usage error (exit 2).
    public static func load(path: String) throws(ValueParseError) -> Figures {
        let bytes = try Self.readFile(path)
        guard let text = String(validating: bytes, as: UTF8.self), !bytes.contains(0) else {
            throw ValueParseError("baseline '\(path)' is not a JSON file: it holds binary content")
        }
        guard !text.isEmpty else { throw ValueParseError("baseline '\(path)' is empty, not JSON") }
        let root: LiveJSON
        do {
            root = try JSONDecoder().decode(LiveJSON.self, from: Data(bytes))
        } catch {
            throw ValueParseError("baseline '\(path)' is not valid JSON")
        }
        guard case .object(let top) = root else {
            throw ValueParseError(
                "baseline '\(path)' is not the JSON of 'peft-perf bench --json': its top level is not an object")
        }
        func bad(_ field: String, _ problem: String) -> ValueParseError {
            ValueParseError("baseline '\(path)': \(field) \(problem)")
        }
        switch top["schema_version"] {
        case nil:
            throw bad("schema_version", "is missing: not the JSON of 'peft-perf bench --json'")
        case .number(let v)? where v == Double(HTTPBenchReport.schemaVersion):
            break
        case let value?:
            throw bad(
                "schema_version", "is \(Self.summary(value)); this peft-perf reads \(HTTPBenchReport.schemaVersion)")
        }
        guard let totalValue = top["total"] else {
            throw bad("total", "is missing: not the JSON of an HTTP 'peft-perf bench --json' run")
        }
        guard case .object(let total) = totalValue else {
            throw bad("total", "is \(Self.summary(totalValue)), not an object")
        }
        let rps = try Self.positive(total["rps"], field: "total.rps", bad)
        guard let latencyValue = total["latency_seconds"] else { throw bad("total.latency_seconds", "is missing") }
        guard case .object(let latency) = latencyValue else {
            throw bad("total.latency_seconds", "is \(Self.summary(latencyValue)), not an object")
        }
        var p99: Double = 0
        for key in Self.latencyKeys where key == "p99" || latency[key] != nil {
            let value = try Self.positive(latency[key], field: "total.latency_seconds.\(key)", bad)
            if key == "p99" { p99 = value }
        }
        return Figures(p99Seconds: p99, rps: rps)
    }

    /// A figure that must be a positive finite number.
    static func positive(
        _ value: LiveJSON?, field: String, _ bad: (String, String) -> ValueParseError
    ) throws(ValueParseError) -> Double {
        switch value {
        case nil:
            throw bad(field, "is missing")
        case .number(let v)? where v.isFinite && v > 0:
            return v
        case .number(let v)?:
            throw bad(
                field,
                "is \(Self.summary(.number(v))); it must be more than 0 "
                    + "(a baseline from a run where nothing succeeded cannot be compared with)")
        case .null?:
            throw bad(field, "is null; it must be a number more than 0 (was nothing measured in that run?)")
        case let other?:
            throw bad(field, "is \(Self.summary(other)), not a number")
        }
    }

    /// Reads `path` whole: a regular file of at most ``maxFileBytes``.
    static func readFile(_ path: String) throws(ValueParseError) -> [UInt8] {
        do {
            return try RegularFile.contents(of: path, maxBytes: Self.maxFileBytes)
        } catch {
            switch error {
            case .missing: throw ValueParseError("baseline '\(path)' does not exist")
            case .directory: throw ValueParseError("baseline '\(path)' is a directory, not a file")
            case .notRegular: throw ValueParseError("baseline '\(path)' is not a regular file")
            case .tooLarge(let size?):
                throw ValueParseError(
                    "baseline '\(path)' is \(size) bytes, larger than a bench result can be "
                        + "(at most \(Self.maxFileBytes))")
            case .tooLarge(nil):
                throw ValueParseError(
                    "baseline '\(path)' is larger than a bench result can be (at most \(Self.maxFileBytes))")
            case .system(let message): throw ValueParseError("cannot read baseline '\(path)': \(message)")
            }
        }
    }

    /// What `value` is, for a message: `"NaN" (a string)`, `true`, `an array`.
    static func summary(_ value: LiveJSON) -> String {
        switch value {
        case .null: "null"
        case .bool(let v): "\(v) (a boolean)"
        case .number(let v):
            !v.isFinite
                ? "not finite" : v == v.rounded() && abs(v) < 1e15 ? DecimalNumber.format(v, places: 0) : "\(v)"
        case .string(let v): "\"\(Self.shown(v))\" (a string)"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The first 20 characters of `text`, control characters shown as U+FFFD
    /// so that a baseline cannot write escape sequences to the terminal.
    static func shown(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars.prefix(20) {
            let control = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            out.append(control ? "\u{FFFD}" : scalar)
        }
        return String(out) + (text.unicodeScalars.count > 20 ? "…" : "")
    }
}
