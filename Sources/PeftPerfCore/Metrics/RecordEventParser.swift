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
/// - request: `endpoint` (string, required), `duration_ms` (number from 0 to
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
    /// Deepest nesting accepted inside ignored values.
    static let maxDepth = 64

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
}

/// The fields a line may carry, before they are checked against its type.
private enum RecordKey: Int {
    case type, endpoint, durationMs, status, error, ts, sql, rows, db

    static let table: [(bytes: [UInt8], key: RecordKey)] = [
        (Array("type".utf8), .type), (Array("endpoint".utf8), .endpoint),
        (Array("duration_ms".utf8), .durationMs), (Array("status".utf8), .status),
        (Array("error".utf8), .error), (Array("ts".utf8), .ts), (Array("sql".utf8), .sql),
        (Array("rows".utf8), .rows), (Array("db".utf8), .db),
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
        }
    }
}

/// A JSON value as far as this parser needs to know it.
private enum ScalarValue {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case other(String)  // an object or array: its kind, for messages
}

private struct LineParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    let now: Double?

    init(bytes: UnsafeBufferPointer<UInt8>, now: Double?) {
        self.bytes = bytes
        self.now = now
    }

    // MARK: Line

    mutating func parseLine() throws(RecordLineError) -> RecordEvent? {
        if self.bytes.count > RecordEventParser.maxLineBytes {
            throw RecordLineError(reason: "line longer than \(RecordEventParser.maxLineBytes) bytes")
        }
        // A UTF-8 byte order mark at the start of the first line is tolerated.
        if self.bytes.count >= 3, self.bytes[0] == 0xEF, self.bytes[1] == 0xBB, self.bytes[2] == 0xBF {
            self.index = 3
        }
        self.skipWhitespace()
        if self.index == self.bytes.count { return nil }
        guard self.bytes[self.index] == UInt8(ascii: "{") else {
            throw self.syntax("expected a JSON object starting with '{'")
        }
        self.index += 1

        var seen: UInt32 = 0
        var typeIsRequest: Bool?
        var endpoint: String?
        var sql: String?
        var database: String?
        var durationMs: Double?
        var status: Int?
        var rows: Int?
        var errorKind: String?
        var failed = false
        var timestamp: Double?

        self.skipWhitespace()
        if self.peek() == UInt8(ascii: "}") {
            self.index += 1
        } else {
            while true {
                self.skipWhitespace()
                guard self.peek() == UInt8(ascii: "\"") else { throw self.syntax("expected a key in double quotes") }
                let keyColumn = self.index + 1
                let key = try self.parseKey()
                self.skipWhitespace()
                guard self.peek() == UInt8(ascii: ":") else { throw self.syntax("expected ':' after a key") }
                self.index += 1
                self.skipWhitespace()
                if let key {
                    let bit: UInt32 = 1 << UInt32(key.rawValue)
                    if seen & bit != 0 {
                        throw RecordLineError(reason: "duplicate key \"\(key.name)\" at column \(keyColumn)")
                    }
                    seen |= bit
                    let valueColumn = self.index + 1
                    // The common types are matched on their bytes, without making a String.
                    if key == .type, self.matches(start: self.index, "\"query\"") {
                        typeIsRequest = false
                        self.index += 7
                    } else if key == .type, self.matches(start: self.index, "\"request\"") {
                        typeIsRequest = true
                        self.index += 9
                    } else {
                        let value: ScalarValue
                        do {
                            value = try self.parseScalar()
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
                    try self.skipValue(depth: 0)
                }
                self.skipWhitespace()
                guard let next = self.peek() else { throw self.syntax("unterminated object (expected ',' or '}')") }
                self.index += 1
                if next == UInt8(ascii: ",") { continue }
                if next == UInt8(ascii: "}") { break }
                self.index -= 1
                throw self.syntax("expected ',' or '}'")
            }
        }
        self.skipWhitespace()
        if self.index != self.bytes.count {
            throw self.syntax("unexpected text after the JSON object")
        }

        guard let isRequest = typeIsRequest else {
            throw RecordLineError(reason: "missing \"type\" (\"request\" or \"query\")")
        }
        guard let durationMs else { throw RecordLineError(reason: "missing \"duration_ms\"") }
        let seconds = durationMs / 1000
        if isRequest {
            guard let endpoint else { throw RecordLineError(reason: "missing \"endpoint\" in a request event") }
            guard !Self.isBlank(endpoint) else {
                throw RecordLineError(reason: "\"endpoint\" is empty")
            }
            guard endpoint.utf8.count <= RecordEventParser.maxEndpointBytes else {
                throw RecordLineError(reason: "\"endpoint\" is longer than \(RecordEventParser.maxEndpointBytes) bytes")
            }
            return .request(
                RecordEvent.Request(
                    endpoint: endpoint, durationSeconds: seconds, status: status, error: errorKind,
                    timestamp: timestamp))
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

    @inline(__always)
    func peek() -> UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }

    @inline(__always)
    mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x09, 0x0A, 0x0D: self.index += 1
            default: return
            }
        }
    }

    func syntax(_ message: String) -> RecordLineError {
        if self.index < self.bytes.count, self.bytes[self.index] >= 0x80 {
            // A stray non-ASCII byte outside a string: name it, without printing it.
            return RecordLineError(reason: "invalid JSON at column \(self.index + 1): \(message)")
        }
        return RecordLineError(
            reason: self.index >= self.bytes.count
                ? "invalid JSON: \(message), found end of line"
                : "invalid JSON at column \(self.index + 1): \(message)")
    }

    static func wrongType(_ key: RecordKey, _ expected: String, _ value: ScalarValue) -> RecordLineError {
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

    static func isBlank(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    static func clip(_ text: String) -> String {
        var clipped = ""
        for character in text {
            if clipped.count >= 40 { return clipped + "…" }
            clipped.append(character.isASCII && !character.isWhitespace || character == " " ? character : "?")
        }
        return clipped
    }

    // MARK: Strings

    /// Scans a string starting at the opening quote. Returns the raw content
    /// range and whether it contains escapes; leaves `index` after the closing quote.
    mutating func scanString() throws(RecordLineError) -> (start: Int, end: Int, escaped: Bool) {
        self.index += 1  // opening quote
        let start = self.index
        var escaped = false
        let count = self.bytes.count
        while self.index < count {
            // Eight bytes at a time while they are plain ASCII, which is most of a
            // line; otherwise straight to the first byte that needs a look.
            if self.index + 8 <= count, let base = self.bytes.baseAddress {
                let special = Self.specialBytes(
                    UInt64(littleEndian: UnsafeRawPointer(base + self.index).loadUnaligned(as: UInt64.self)))
                if special == 0 {
                    self.index += 8
                    continue
                }
                self.index += special.trailingZeroBitCount >> 3
            }
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                let end = self.index
                self.index += 1
                return (start, end, escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                guard self.index + 1 < count else { break }
                let next = self.bytes[self.index + 1]
                switch next {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    self.index += 2
                case UInt8(ascii: "u"):
                    self.index += 2
                    let high = try self.hex4()
                    if (0xD800...0xDBFF).contains(high) {
                        guard self.index + 1 < count, self.bytes[self.index] == UInt8(ascii: "\\"),
                            self.bytes[self.index + 1] == UInt8(ascii: "u")
                        else { throw self.syntax("lone UTF-16 surrogate in \\u escape") }
                        self.index += 2
                        let low = try self.hex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw self.syntax("lone UTF-16 surrogate in \\u escape")
                        }
                    } else if (0xDC00...0xDFFF).contains(high) {
                        throw self.syntax("lone UTF-16 surrogate in \\u escape")
                    }
                default:
                    self.index += 1
                    throw self.syntax("invalid escape in string")
                }
                continue
            }
            if byte < 0x20 { throw self.syntax("control character in string (escape it)") }
            if byte < 0x80 {
                self.index += 1
                continue
            }
            try self.validateUTF8Sequence()
        }
        throw RecordLineError(reason: "invalid JSON: unterminated string starting at column \(start)")
    }

    /// The bytes of `word` (little-endian: the first in the low bits) that end
    /// or escape a string or need checking, `"`, `\\`, a control byte or
    /// anything from 0x80, as their high bits; 0 when there is none.
    ///
    /// The classic bit tricks: `(v - 0x01…) & ~v & 0x80…` flags the bytes of
    /// `v` that are zero, and `(v - 0x20…) & ~v & 0x80…` those below 0x20
    /// (`word` itself flags those from 0x80). A borrow can also flag bytes
    /// *after* a flagged one, never before: the lowest flag is exact, and that
    /// is the only one used.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let special =
            ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word) | word
        return special & 0x8080_8080_8080_8080
    }

    /// Validates one multi-byte UTF-8 sequence at `index` (Unicode Table 3-7)
    /// and moves past it.
    @inline(__always)
    mutating func validateUTF8Sequence() throws(RecordLineError) {
        let lead = self.bytes[self.index]
        let count = self.bytes.count
        var length = 0
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upper = 0x9F
        case 0xF0:
            length = 4
            lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upper = 0x8F
        default:
            throw RecordLineError(reason: "invalid UTF-8 at column \(self.index + 1)")
        }
        guard self.index + length <= count else {
            throw RecordLineError(reason: "invalid UTF-8 at column \(self.index + 1) (truncated sequence)")
        }
        let second = self.bytes[self.index + 1]
        guard second >= lower, second <= upper else {
            throw RecordLineError(reason: "invalid UTF-8 at column \(self.index + 1)")
        }
        var offset = 2
        while offset < length {
            let byte = self.bytes[self.index + offset]
            guard byte & 0xC0 == 0x80 else {
                throw RecordLineError(reason: "invalid UTF-8 at column \(self.index + 1)")
            }
            offset += 1
        }
        self.index += length
    }

    mutating func hex4() throws(RecordLineError) -> UInt32 {
        guard self.index + 4 <= self.bytes.count else { throw self.syntax("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = self.bytes[self.index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw self.syntax("invalid \\u escape")
            }
            value = value << 4 | digit
            self.index += 1
        }
        return value
    }

    /// The decoded text of a scanned string (escapes resolved).
    func makeString(start: Int, end: Int, escaped: Bool) -> String {
        let raw = UnsafeBufferPointer(rebasing: self.bytes[start..<end])
        // Validated above, so decoding never substitutes U+FFFD.
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                i += 1
                continue
            }
            let next = raw[i + 1]
            i += 2
            switch next {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = Self.hexValue(raw, i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    let low = Self.hexValue(raw, i + 2)
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                if let unicode = Unicode.Scalar(scalar) {
                    out.append(contentsOf: UTF8.encode(unicode)!)
                }
            default: out.append(next)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = raw[at + offset]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            default: digit = UInt32(byte - UInt8(ascii: "A") + 10)
            }
            value = value << 4 | digit
        }
        return value
    }

    /// Parses a key; nil when it is not one we use.
    mutating func parseKey() throws(RecordLineError) -> RecordKey? {
        let (start, end, escaped) = try self.scanString()
        if escaped {
            let text = self.makeString(start: start, end: end, escaped: true)
            return RecordKey.table.first { String(decoding: $0.bytes, as: UTF8.self) == text }?.key
        }
        // The length and first byte pick the only candidate; then compare it whole.
        let length = end - start
        guard length >= 2 else { return nil }
        let candidate: RecordKey
        switch (length, self.bytes[start]) {
        case (4, UInt8(ascii: "t")): candidate = .type
        case (8, UInt8(ascii: "e")): candidate = .endpoint
        case (11, UInt8(ascii: "d")): candidate = .durationMs
        case (6, UInt8(ascii: "s")): candidate = .status
        case (5, UInt8(ascii: "e")): candidate = .error
        case (2, UInt8(ascii: "t")): candidate = .ts
        case (3, UInt8(ascii: "s")): candidate = .sql
        case (4, UInt8(ascii: "r")): candidate = .rows
        case (2, UInt8(ascii: "d")): candidate = .db
        default: return nil
        }
        return self.matches(start: start, candidate.staticName) ? candidate : nil
    }

    /// Whether the `text.utf8CodeUnitCount` bytes at `start` are `text`.
    @inline(__always)
    func matches(start: Int, _ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard start + length <= self.bytes.count else { return false }
        let pointer = text.utf8Start
        for offset in 0..<length where self.bytes[start + offset] != pointer[offset] { return false }
        return true
    }

    // MARK: Values

    mutating func parseScalar() throws(RecordLineError) -> ScalarValue {
        guard let byte = self.peek() else { throw self.syntax("expected a value") }
        switch byte {
        case UInt8(ascii: "\""):
            let (start, end, escaped) = try self.scanString()
            return .string(self.makeString(start: start, end: end, escaped: escaped))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try self.parseNumber())
        case UInt8(ascii: "t"):
            try self.literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try self.literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try self.literal("null")
            return .null
        case UInt8(ascii: "{"):
            try self.skipValue(depth: 0)
            return .other("an object")
        case UInt8(ascii: "["):
            try self.skipValue(depth: 0)
            return .other("an array")
        default:
            throw self.syntax("expected a value")
        }
    }

    mutating func literal(_ word: StaticString) throws(RecordLineError) {
        let length = word.utf8CodeUnitCount
        guard self.index + length <= self.bytes.count else { throw self.syntax("expected a value") }
        let pointer = word.utf8Start
        for offset in 0..<length where self.bytes[self.index + offset] != pointer[offset] {
            throw self.syntax("expected a value")
        }
        self.index += length
    }

    /// Skips any JSON value, checking its syntax.
    mutating func skipValue(depth: Int) throws(RecordLineError) {
        guard depth < RecordEventParser.maxDepth else {
            throw self.syntax("nesting deeper than \(RecordEventParser.maxDepth)")
        }
        guard let byte = self.peek() else { throw self.syntax("expected a value") }
        switch byte {
        case UInt8(ascii: "{"):
            self.index += 1
            self.skipWhitespace()
            if self.peek() == UInt8(ascii: "}") {
                self.index += 1
                return
            }
            while true {
                self.skipWhitespace()
                guard self.peek() == UInt8(ascii: "\"") else { throw self.syntax("expected a key in double quotes") }
                _ = try self.scanString()
                self.skipWhitespace()
                guard self.peek() == UInt8(ascii: ":") else { throw self.syntax("expected ':' after a key") }
                self.index += 1
                self.skipWhitespace()
                try self.skipValue(depth: depth + 1)
                self.skipWhitespace()
                guard let next = self.peek() else { throw self.syntax("unterminated object") }
                if next == UInt8(ascii: ",") {
                    self.index += 1
                    continue
                }
                if next == UInt8(ascii: "}") {
                    self.index += 1
                    return
                }
                throw self.syntax("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            self.index += 1
            self.skipWhitespace()
            if self.peek() == UInt8(ascii: "]") {
                self.index += 1
                return
            }
            while true {
                self.skipWhitespace()
                try self.skipValue(depth: depth + 1)
                self.skipWhitespace()
                guard let next = self.peek() else { throw self.syntax("unterminated array") }
                if next == UInt8(ascii: ",") {
                    self.index += 1
                    continue
                }
                if next == UInt8(ascii: "]") {
                    self.index += 1
                    return
                }
                throw self.syntax("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            _ = try self.scanString()
        default:
            _ = try self.parseScalar()
        }
    }

    /// Parses a JSON number (RFC 8259 grammar, nothing more lenient).
    ///
    /// Up to 15 significant digits with a power of ten within ±22 take
    /// Clinger's exact fast path (one multiply or divide of exact doubles);
    /// anything longer goes through the standard library's correctly rounded
    /// parser.
    mutating func parseNumber() throws(RecordLineError) -> Double {
        let start = self.index
        let count = self.bytes.count
        var negative = false
        if self.bytes[self.index] == UInt8(ascii: "-") {
            negative = true
            self.index += 1
        }
        guard self.index < count, Self.isDigit(self.bytes[self.index]) else { throw self.syntax("invalid number") }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        if self.bytes[self.index] == UInt8(ascii: "0") {
            self.index += 1
            if self.index < count, Self.isDigit(self.bytes[self.index]) {
                throw self.syntax("invalid number (leading zero)")
            }
        } else {
            while self.index < count, Self.isDigit(self.bytes[self.index]) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(self.bytes[self.index] &- 0x30)
                    if mantissa != 0 { digits += 1 }
                } else {
                    exponent += 1
                }
                self.index += 1
            }
        }
        if self.index < count, self.bytes[self.index] == UInt8(ascii: ".") {
            self.index += 1
            guard self.index < count, Self.isDigit(self.bytes[self.index]) else {
                throw self.syntax("invalid number (digit expected after '.')")
            }
            while self.index < count, Self.isDigit(self.bytes[self.index]) {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(self.bytes[self.index] &- 0x30)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                }
                self.index += 1
            }
        }
        if self.index < count, self.bytes[self.index] | 0x20 == UInt8(ascii: "e") {
            self.index += 1
            var exponentNegative = false
            if self.index < count,
                self.bytes[self.index] == UInt8(ascii: "+") || self.bytes[self.index] == UInt8(ascii: "-")
            {
                exponentNegative = self.bytes[self.index] == UInt8(ascii: "-")
                self.index += 1
            }
            guard self.index < count, Self.isDigit(self.bytes[self.index]) else {
                throw self.syntax("invalid number (digit expected in exponent)")
            }
            var written = 0
            while self.index < count, Self.isDigit(self.bytes[self.index]) {
                if written < 100_000 { written = written * 10 + Int(self.bytes[self.index] &- 0x30) }
                self.index += 1
            }
            exponent += exponentNegative ? -written : written
        }
        if digits <= 15, exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            if exponent < 0 {
                value /= Self.powersOfTen[-exponent]
            } else {
                value *= Self.powersOfTen[exponent]
            }
            return negative ? -value : value
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
        guard let value = Double(text) else { throw self.syntax("invalid number") }
        return value
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
