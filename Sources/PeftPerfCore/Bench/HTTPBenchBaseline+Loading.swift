#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
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
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
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
            throw bad("schema_version", "is \(value.summary); this peft-perf reads \(HTTPBenchReport.schemaVersion)")
        }
        guard let totalValue = top["total"] else {
            throw bad("total", "is missing: not the JSON of an HTTP 'peft-perf bench --json' run")
        }
        guard case .object(let total) = totalValue else {
            throw bad("total", "is \(totalValue.summary), not an object")
        }
        let rps = try Self.positive(total["rps"], field: "total.rps", bad)
        guard let latencyValue = total["latency_seconds"] else { throw bad("total.latency_seconds", "is missing") }
        guard case .object(let latency) = latencyValue else {
            throw bad("total.latency_seconds", "is \(latencyValue.summary), not an object")
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
        _ value: JSONValue?, field: String, _ bad: (String, String) -> ValueParseError
    ) throws(ValueParseError) -> Double {
        switch value {
        case nil:
            throw bad(field, "is missing")
        case .number(let v)? where v.isFinite && v > 0:
            return v
        case .number(let v)?:
            throw bad(
                field,
                "is \(JSONValue.number(v).summary); it must be more than 0 "
                    + "(a baseline from a run where nothing succeeded cannot be compared with)")
        case .null?:
            throw bad(field, "is null; it must be a number more than 0 (was nothing measured in that run?)")
        case let other?:
            throw bad(field, "is \(other.summary), not a number")
        }
    }

    /// Reads `path` whole: a regular file of at most ``maxFileBytes``.
    ///
    /// Opened with `O_NONBLOCK`, so that a FIFO with no writer cannot block
    /// the open, then checked with `fstat` on that descriptor.
    static func readFile(_ path: String) throws(ValueParseError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw ValueParseError("baseline '\(path)' does not exist") }
            throw ValueParseError("cannot read baseline '\(path)': \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ValueParseError("cannot read baseline '\(path)': \(String(cString: strerror(errno)))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw ValueParseError("baseline '\(path)' is a directory, not a file")
        default: throw ValueParseError("baseline '\(path)' is not a regular file")
        }
        guard info.st_size <= Self.maxFileBytes else {
            throw ValueParseError(
                "baseline '\(path)' is \(info.st_size) bytes, larger than a bench result can be "
                    + "(at most \(Self.maxFileBytes))")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while bytes.count <= Self.maxFileBytes {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw ValueParseError("cannot read baseline '\(path)': \(String(cString: strerror(errno)))")
            }
            bytes += chunk[0..<n]
        }
        guard bytes.count <= Self.maxFileBytes else {
            throw ValueParseError(
                "baseline '\(path)' is larger than a bench result can be (at most \(Self.maxFileBytes))")
        }
        return bytes
    }

    /// Any JSON value, to check a baseline field by field.
    enum JSONValue: Decodable {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case array([JSONValue])
        case object([String: JSONValue])

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let v = try? c.decode(Bool.self) {
                self = .bool(v)
            } else if let v = try? c.decode(Double.self) {
                self = .number(v)
            } else if let v = try? c.decode(String.self) {
                self = .string(v)
            } else if let v = try? c.decode([JSONValue].self) {
                self = .array(v)
            } else {
                self = .object(try c.decode([String: JSONValue].self))
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

        /// What the value is, for a message: `"NaN" (a string)`, `true`, `an array`.
        var summary: String {
            switch self {
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
    }
}
