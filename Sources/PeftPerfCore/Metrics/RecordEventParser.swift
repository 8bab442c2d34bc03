/// Parses `record` input lines (one JSON object per line) into ``RecordEvent``s.
///
/// It works on the line's bytes directly: no `JSONSerialization`, no
/// intermediate dictionary, and a `String` is made only for the fields that
/// are kept. That is what lets `record` read well over 500k lines per second.
///
/// **Strict about what it keeps:** the JSON must be well formed and valid
/// UTF-8 (checked byte by byte, lone surrogates rejected), known keys appear
/// at most once and have the right types, and durations, statuses, row
/// counts and timestamps are range-checked. **Lenient about what it
/// ignores:** keys it does not know are skipped (after being checked as
/// JSON), so an emitter can add fields without breaking older readers, the
/// same additive rule our own JSON follows.
///
/// Fields:
/// - `type`: `"request"` or `"query"` (required).
/// - request: `endpoint` (string; required unless `route` is given),
///   `method` (or OpenTelemetry's `http.request.method`: 1–16 ASCII letters,
///   uppercased; when `endpoint` also starts with a method they must agree),
///   `route` (or OpenTelemetry's `http.route`: the template the emitter
///   matched, starting with `/`), `duration_ms` (number from 0 to
///   3,600,000, required), `status` (integer 100–599 or null), `error`
///   (failure kind as a string, or a boolean), `ts` (RFC 3339 with an offset,
///   or Unix seconds; from 2000-01-01 to now + 1 day).
/// - query: `sql` (string, required), `duration_ms` (required), `rows`
///   (integer from 0 to 10^12), `db` (a path, or a `sqlite:///` or `file:` URL:
///   ``RecordDatabaseLocation``), `error` (boolean or string), `ts`.
///
/// The numeric ranges are ``RecordLimits``'s; a value outside them is a bad
/// line whose reason names the field.
public enum RecordEventParser {
    /// Longest accepted line, in bytes.
    public static let maxLineBytes = 1 << 20
    /// Longest accepted endpoint, in bytes.
    public static let maxEndpointBytes = 2048
    /// Longest accepted error kind, in bytes.
    public static let maxErrorKindBytes = 64

    /// Parses one line of input, without its line terminator.
    ///
    /// - Parameter now: the wall clock, Unix seconds, that bounds `ts` (read
    ///   when the line has a `ts` and this is nil).
    /// - Returns: the event, or nil when the line is blank (only whitespace),
    ///   which NDJSON readers conventionally skip.
    /// - Throws: ``RecordLineError`` with the reason (its `line` is 0; the
    ///   reader fills it in).
    public static func parse(
        _ line: UnsafeBufferPointer<UInt8>, now: Double? = nil
    ) throws(RecordLineError) -> RecordEvent? {
        var parser = LineParser(bytes: line, now: now)
        return try parser.parseLine()
    }

    /// Parses one line given as a string (tests, small inputs).
    public static func parse(_ line: String, now: Double? = nil) throws(RecordLineError) -> RecordEvent? {
        var copy = line
        do {
            return try copy.withUTF8 { buffer in try Self.parse(buffer, now: now) }
        } catch let error as RecordLineError {
            throw error
        } catch {
            throw RecordLineError(reason: "\(error)")
        }
    }

    /// The uppercased method an endpoint starts with (`get /x` → `GET`), as
    /// ``EndpointNormalizer`` reads it; nil when it starts with none.
    static func leadingMethod(_ endpoint: String) -> String? {
        let bytes = endpoint.utf8
        var start = bytes.startIndex
        while start < bytes.endIndex, EndpointNormalizer.isTrimmed(bytes[start]) { start = bytes.index(after: start) }
        var end = start
        while end < bytes.endIndex, EndpointNormalizer.isASCIILetter(bytes[end]) { end = bytes.index(after: end) }
        guard end > start, end < bytes.endIndex, bytes[end] == 0x20 else { return nil }
        return String(endpoint[start..<end]).uppercased()
    }
}

/// The fields a line may carry, before they are checked against its type.
private enum RecordKey: Int {
    case type, endpoint, durationMs, status, error, ts, sql, rows, db, method, route, httpRoute, httpMethod

    static let table: [(bytes: [UInt8], key: RecordKey)] = [
        (Array("type".utf8), .type), (Array("endpoint".utf8), .endpoint),
        (Array("duration_ms".utf8), .durationMs), (Array("status".utf8), .status),
        (Array("error".utf8), .error), (Array("ts".utf8), .ts), (Array("sql".utf8), .sql),
        (Array("rows".utf8), .rows), (Array("db".utf8), .db), (Array("method".utf8), .method),
        (Array("route".utf8), .route), (Array("http.route".utf8), .httpRoute),
        (Array("http.request.method".utf8), .httpMethod),
    ]

    var name: String { "\(self.staticName)" }

    var staticName: StaticString {
        switch self {
        case .type: "type"
        case .endpoint: "endpoint"
        case .durationMs: "duration_ms"
        case .status: "status"
        case .error: "error"
        case .ts: "ts"
        case .sql: "sql"
        case .rows: "rows"
        case .db: "db"
        case .method: "method"
        case .route: "route"
        case .httpRoute: "http.route"
        case .httpMethod: "http.request.method"
        }
    }
}

/// Maps one line's JSON object onto a ``RecordEvent``, reading it through a ``JSONScanner``.
private struct LineParser {
    var json: JSONScanner
    let now: Double?

    init(bytes: UnsafeBufferPointer<UInt8>, now: Double?) {
        self.json = JSONScanner(bytes: bytes)
        self.now = now
    }

    // MARK: Line

    mutating func parseLine() throws(RecordLineError) -> RecordEvent? {
        if self.json.bytes.count > RecordEventParser.maxLineBytes {
            throw RecordLineError(reason: "line longer than \(RecordEventParser.maxLineBytes) bytes")
        }
        // A UTF-8 byte order mark at the start of the first line is tolerated.
        if self.json.bytes.count >= 3, self.json.bytes[0] == 0xEF, self.json.bytes[1] == 0xBB,
            self.json.bytes[2] == 0xBF
        {
            self.json.index = 3
        }
        self.json.skipWhitespace()
        if self.json.index == self.json.bytes.count { return nil }
        guard self.json.bytes[self.json.index] == UInt8(ascii: "{") else {
            throw self.json.syntax("expected a JSON object starting with '{'")
        }
        self.json.index += 1

        var seen: UInt32 = 0
        var typeIsRequest: Bool?
        var endpoint: String?
        var method: String?
        var route: String?
        var sql: String?
        var database: String?
        var durationMs: Double?
        var status: Int?
        var rows: Int?
        var errorKind: String?
        var failed = false
        var timestamp: Double?

        self.json.skipWhitespace()
        if self.json.peek() == UInt8(ascii: "}") {
            self.json.index += 1
        } else {
            while true {
                self.json.skipWhitespace()
                guard self.json.peek() == UInt8(ascii: "\"") else {
                    throw self.json.syntax("expected a key in double quotes")
                }
                let keyColumn = self.json.index + 1
                let key = try self.parseKey()
                self.json.skipWhitespace()
                guard self.json.peek() == UInt8(ascii: ":") else { throw self.json.syntax("expected ':' after a key") }
                self.json.index += 1
                self.json.skipWhitespace()
                if let key {
                    let bit: UInt32 = 1 << UInt32(key.rawValue)
                    if seen & bit != 0 {
                        throw RecordLineError(reason: "duplicate key \"\(key.name)\" at column \(keyColumn)")
                    }
                    seen |= bit
                    let valueColumn = self.json.index + 1
                    // The common types are matched on their bytes, without making a String.
                    if key == .type, self.json.matches(start: self.json.index, "\"query\"") {
                        typeIsRequest = false
                        self.json.index += 7
                    } else if key == .type, self.json.matches(start: self.json.index, "\"request\"") {
                        typeIsRequest = true
                        self.json.index += 9
                    } else {
                        let value: JSONScanner.Scalar
                        do {
                            value = try self.json.parseScalar()
                        } catch {
                            // `"duration_ms":NaN` and the like: name the field.
                            throw RecordLineError(reason: "\"\(key.name)\": \(error.reason)")
                        }
                        switch key {
                        case .type:
                            guard case .string(let text) = value else { throw Self.wrongType(key, "a string", value) }
                            switch text {
                            case "request": typeIsRequest = true
                            case "query": typeIsRequest = false
                            default:
                                throw RecordLineError(
                                    reason: "unknown type \"\(Self.clip(text))\" (expected \"request\" or \"query\")")
                            }
                        case .endpoint:
                            guard case .string(let text) = value else { throw Self.wrongType(key, "a string", value) }
                            endpoint = text
                        case .method, .httpMethod:
                            try Self.requireOne(of: .method, .httpMethod, seen: seen)
                            switch value {
                            case .null: method = nil
                            case .string(let text):
                                guard !text.isEmpty, text.utf8.count <= 16,
                                    text.utf8.allSatisfy(EndpointNormalizer.isASCIILetter)
                                else {
                                    throw RecordLineError(
                                        reason:
                                            "\"\(key.name)\" must be an HTTP method such as GET (1 to 16 letters), not \"\(Self.clip(text))\""
                                    )
                                }
                                method = text.uppercased()
                            default: throw Self.wrongType(key, "a string", value)
                            }
                        case .route, .httpRoute:
                            try Self.requireOne(of: .route, .httpRoute, seen: seen)
                            switch value {
                            case .null: route = nil
                            case .string(let text):
                                guard text.utf8.first == UInt8(ascii: "/") else {
                                    throw RecordLineError(
                                        reason: "\"\(key.name)\" must be a path template starting with '/'")
                                }
                                guard text.utf8.count <= RecordEventParser.maxEndpointBytes else {
                                    throw RecordLineError(
                                        reason:
                                            "\"\(key.name)\" is longer than \(RecordEventParser.maxEndpointBytes) bytes"
                                    )
                                }
                                route = text
                            default: throw Self.wrongType(key, "a string", value)
                            }
                        case .sql:
                            guard case .string(let text) = value else { throw Self.wrongType(key, "a string", value) }
                            sql = text
                        case .db:
                            switch value {
                            case .string(let text):
                                database = text.isEmpty ? nil : try RecordDatabaseLocation.path(text)
                            case .null: database = nil
                            default: throw Self.wrongType(key, "a string", value)
                            }
                        case .durationMs:
                            guard case .number(let number) = value else { throw Self.wrongType(key, "a number", value) }
                            guard number.isFinite, number >= 0, number <= RecordLimits.maxDurationMilliseconds else {
                                throw RecordLineError(
                                    reason:
                                        "\"duration_ms\" \(RecordLimits.describe(number)) is out of range (0…3600000, one hour; column \(valueColumn))"
                                )
                            }
                            durationMs = number
                        case .status:
                            switch value {
                            case .null: status = nil
                            case .number(let number):
                                guard number == number.rounded(), number >= 100, number <= 599 else {
                                    throw RecordLineError(
                                        reason: "\"status\" must be an integer from 100 to 599 (column \(valueColumn))")
                                }
                                status = Int(number)
                            default: throw Self.wrongType(key, "an integer from 100 to 599 or null", value)
                            }
                        case .rows:
                            switch value {
                            case .null: rows = nil
                            case .number(let number):
                                guard number == number.rounded(), number >= 0, number <= Double(RecordLimits.maxRows)
                                else {
                                    throw RecordLineError(
                                        reason:
                                            "\"rows\" must be an integer from 0 to \(RecordLimits.maxRows) (column \(valueColumn))"
                                    )
                                }
                                rows = Int(number)
                            default:
                                throw Self.wrongType(key, "an integer from 0 to \(RecordLimits.maxRows) or null", value)
                            }
                        case .error:
                            switch value {
                            case .null, .bool(false): errorKind = nil
                            case .bool(true):
                                errorKind = "error"
                                failed = true
                            case .string(let text):
                                if text.isEmpty {
                                    errorKind = nil
                                } else {
                                    guard text.utf8.count <= RecordEventParser.maxErrorKindBytes else {
                                        throw RecordLineError(
                                            reason:
                                                "\"error\" is longer than \(RecordEventParser.maxErrorKindBytes) bytes; give a short kind such as \"timeout\""
                                        )
                                    }
                                    errorKind = text
                                    failed = true
                                }
                            default: throw Self.wrongType(key, "a string, a boolean or null", value)
                            }
                        case .ts:
                            switch value {
                            case .null: timestamp = nil
                            case .number(let number):
                                let now = self.now ?? RecordTimestamp.now()
                                if let problem = RecordLimits.timestampProblem(
                                    number, text: RecordLimits.describe(number), now: now)
                                {
                                    throw RecordLineError(reason: problem)
                                }
                                timestamp = number
                            case .string(let text):
                                switch RecordTimestamp.parse(text) {
                                case .success(let seconds):
                                    let now = self.now ?? RecordTimestamp.now()
                                    if let problem = RecordLimits.timestampProblem(
                                        seconds, text: "\"\(Self.clip(text))\"", now: now)
                                    {
                                        throw RecordLineError(reason: problem)
                                    }
                                    timestamp = seconds
                                case .failure(let failure): throw RecordLineError(reason: "\"ts\": \(failure.reason)")
                                }
                            default: throw Self.wrongType(key, "an RFC 3339 string or Unix seconds", value)
                            }
                        }
                    }
                } else {
                    try self.json.skipValue(depth: 0)
                }
                self.json.skipWhitespace()
                guard let next = self.json.peek() else {
                    throw self.json.syntax("unterminated object (expected ',' or '}')")
                }
                self.json.index += 1
                if next == UInt8(ascii: ",") { continue }
                if next == UInt8(ascii: "}") { break }
                self.json.index -= 1
                throw self.json.syntax("expected ',' or '}'")
            }
        }
        self.json.skipWhitespace()
        if self.json.index != self.json.bytes.count {
            throw self.json.syntax("unexpected text after the JSON object")
        }

        guard let isRequest = typeIsRequest else {
            throw RecordLineError(reason: "missing \"type\" (\"request\" or \"query\")")
        }
        guard let durationMs else { throw RecordLineError(reason: "missing \"duration_ms\"") }
        let seconds = durationMs / 1000
        if isRequest {
            if endpoint == nil, route == nil {
                throw RecordLineError(reason: "missing \"endpoint\" (or \"route\") in a request event")
            }
            if let endpoint {
                guard !Self.isBlank(endpoint) else {
                    throw RecordLineError(reason: "\"endpoint\" is empty")
                }
                guard endpoint.utf8.count <= RecordEventParser.maxEndpointBytes else {
                    throw RecordLineError(
                        reason: "\"endpoint\" is longer than \(RecordEventParser.maxEndpointBytes) bytes")
                }
                if let method, let given = RecordEventParser.leadingMethod(endpoint), given != method {
                    throw RecordLineError(
                        reason: "\"method\" \(method) disagrees with the method \(given) that \"endpoint\" starts with")
                }
            }
            return .request(
                RecordEvent.Request(
                    endpoint: endpoint ?? "", durationSeconds: seconds, status: status, error: errorKind,
                    timestamp: timestamp, method: method, route: route))
        } else {
            guard let sql else { throw RecordLineError(reason: "missing \"sql\" in a query event") }
            guard !Self.isBlank(sql) else { throw RecordLineError(reason: "\"sql\" is empty") }
            return .query(
                RecordEvent.Query(
                    sql: sql, durationSeconds: seconds, rows: rows, database: database, failed: failed,
                    timestamp: timestamp))
        }
    }

    // MARK: Helpers

    static func wrongType(_ key: RecordKey, _ expected: String, _ value: JSONScanner.Scalar) -> RecordLineError {
        let found: String
        switch value {
        case .string: found = "a string"
        case .number: found = "a number"
        case .bool: found = "a boolean"
        case .null: found = "null"
        case .other(let kind): found = kind
        }
        return RecordLineError(reason: "\"\(key.name)\" must be \(expected), not \(found)")
    }

    /// Rejects a line that gives a field under both its names (`method` and
    /// `http.request.method`); `seen` has a bit per key read.
    private static func requireOne(of key: RecordKey, _ alias: RecordKey, seen: UInt32) throws(RecordLineError) {
        let both: UInt32 = 1 << UInt32(key.rawValue) | 1 << UInt32(alias.rawValue)
        if seen & both == both { throw RecordLineError(reason: "give one of \"\(key.name)\" and \"\(alias.name)\"") }
    }

    static func isBlank(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// A value as a rejected line's reason quotes it.
    static func clip(_ text: String) -> String { text.clipped(to: 40) }

    /// Parses a key; nil when it is not one we use.
    mutating func parseKey() throws(RecordLineError) -> RecordKey? {
        let (start, end, escaped) = try self.json.scanString()
        if escaped {
            let text = self.json.makeString(start: start, end: end, escaped: true)
            return RecordKey.table.first { String(decoding: $0.bytes, as: UTF8.self) == text }?.key
        }
        // The length and first byte pick the only candidate; then compare it whole.
        let length = end - start
        guard length >= 2 else { return nil }
        let candidate: RecordKey
        switch (length, self.json.bytes[start]) {
        case (4, UInt8(ascii: "t")): candidate = .type
        case (8, UInt8(ascii: "e")): candidate = .endpoint
        case (11, UInt8(ascii: "d")): candidate = .durationMs
        case (6, UInt8(ascii: "s")): candidate = .status
        case (5, UInt8(ascii: "e")): candidate = .error
        case (2, UInt8(ascii: "t")): candidate = .ts
        case (3, UInt8(ascii: "s")): candidate = .sql
        case (4, UInt8(ascii: "r")): candidate = .rows
        case (2, UInt8(ascii: "d")): candidate = .db
        case (6, UInt8(ascii: "m")): candidate = .method
        case (5, UInt8(ascii: "r")): candidate = .route
        case (10, UInt8(ascii: "h")): candidate = .httpRoute
        case (19, UInt8(ascii: "h")): candidate = .httpMethod
        default: return nil
        }
        return self.json.matches(start: start, candidate.staticName) ? candidate : nil
    }
}
