/// One request or response header.
///
/// Request headers are validated strictly: a token name, a colon, a value
/// without CR or LF. `Name:value` (no space) is accepted and sent as
/// `Name: value`; `Name:` with no value is rejected, because libcurl would read
/// it as "remove this header" rather than send it.
public struct HTTPHeader: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let value: String

    /// Header names whose values never appear in output, logs or the store.
    static let sensitiveNames: Set<String> = Redaction.secretHeaders.union([
        "api-key", "x-auth-token",
    ])

    /// Creates a header after validating name and value.
    /// - Throws: ``ValueParseError`` naming the problem.
    public init(name: String, value: String) throws(ValueParseError) {
        guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else {
            throw ValueParseError("'\(name)' is not a valid header name")
        }
        guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
            throw ValueParseError("the value of header '\(name)' contains a line break")
        }
        self.name = name
        self.value = value
    }

    /// Parses `Name: value` as given to `-H`.
    /// - Throws: ``ValueParseError`` for a missing colon, an empty name or value,
    ///   or characters HTTP does not allow.
    public init(parsing text: String) throws(ValueParseError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw ValueParseError("header '\(Self.redact(text))' is not in the form 'Name: value'")
        }
        let name = String(text[..<colon])
        let value = text[text.index(after: colon)...].trimmingASCIIWhitespace()
        guard !name.isEmpty, name.trimmingASCIIWhitespace() == name else {
            throw ValueParseError("header '\(Self.redact(text))' has an empty or padded name (use 'Name: value')")
        }
        guard !value.isEmpty else {
            throw ValueParseError("header '\(name):' has no value (use 'Name: value')")
        }
        try self.init(name: name, value: value)
    }

    /// Whether the value is a secret (`Authorization`, cookies, API keys).
    public var isSensitive: Bool { Self.sensitiveNames.contains(self.name.lowercased()) }

    /// The value, or `***` for a sensitive header.
    public var redactedValue: String { self.isSensitive ? "***" : self.value }

    /// `Name: value`, redacted when sensitive.
    public var description: String { "\(self.name): \(self.redactedValue)" }

    /// The line handed to libcurl.
    var wireLine: String { "\(self.name): \(self.value)" }

    static func isTokenByte(_ byte: UInt8) -> Bool {
        // RFC 9110 tchar: ALPHA / DIGIT / "!#$%&'*+-.^_`|~"
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }

    /// A header line for an error message: the value of a sensitive header hidden.
    static func redact(_ text: String) -> String {
        guard let colon = text.firstIndex(of: ":") else {
            // No colon: "Authorization Bearer x" must not leak; show the first word only.
            if let space = text.firstIndex(of: " ") { return text[..<space] + " …" }
            return text.count > 64 ? String(text.prefix(16)) + "…" : text
        }
        let name = text[..<colon].trimmingASCIIWhitespace().lowercased()
        return sensitiveNames.contains(name) ? text[...colon] + " ***" : text
    }
}
