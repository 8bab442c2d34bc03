/// A JSON value as a running service sent it, decoded without a schema, so
/// that a body of the wrong shape can be named field by field
/// (``LiveJSONField``) rather than failing with a decoder's generic message.
public enum LiveJSON: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([LiveJSON])
    case object([String: LiveJSON])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let value = try? c.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? c.decode(Double.self) {
            self = .number(value)
        } else if let value = try? c.decode(String.self) {
            self = .string(value)
        } else if let value = try? c.decode([LiveJSON].self) {
            self = .array(value)
        } else {
            self = .object(try c.decode([String: LiveJSON].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let value): try c.encode(value)
        case .number(let value): try c.encode(value)
        case .string(let value): try c.encode(value)
        case .array(let items): try c.encode(items)
        case .object(let members): try c.encode(members)
        }
    }

    /// The value as an error message shows what it got: `"x"` (at most 40
    /// characters), `true`, `null`, `an array`, `an object`, or the number.
    public var shown: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value): return "\(value)"
        case .string(let value):
            let cut = value.count > 40 ? String(value.prefix(40)) + "…" : value
            var text = "\""
            for scalar in cut.unicodeScalars {
                text += ControlCharacters.visibleEscape(scalar) ?? String(scalar)
            }
            return text + "\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
