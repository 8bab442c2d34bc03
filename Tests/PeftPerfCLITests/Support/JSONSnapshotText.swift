import Foundation

/// A command's JSON text with its volatile values replaced by key, and
/// everything else kept to the byte: number literals, string escapes and key
/// order are copied from the input, not re-encoded, so that a change in how
/// a report encodes (`1` against `1.0`, `null` against a missing key) shows.
///
/// The input is what ``JSONOutput`` writes (pretty-printed, sorted keys);
/// the output uses the same layout. Each scalar under a key in `volatile`
/// (directly, or anywhere inside its object or array) becomes the string
/// `"<key>"`; a `null` stays `null`, and the nesting and keys stay, so that
/// finite-or-null figures and the layout are still checked.
struct JSONSnapshotText {
    indirect enum Value {
        case object([(key: String, raw: String, value: Value)])
        case array([Value])
        case scalar(String)
    }

    struct Malformed: Error, CustomStringConvertible {
        let offset: Int
        var description: String { "malformed JSON at byte \(self.offset)" }
    }

    private let bytes: [UInt8]
    private var index = 0

    /// `json` with the values under `volatile` keys replaced, and inside
    /// every string each occurrence of a key of `literals` (a scratch
    /// directory, say) replaced by its value.
    static func normalize(
        _ json: String, volatile: Set<String>, literals: [String: String] = [:]
    ) throws -> String {
        var parser = JSONSnapshotText(bytes: Array(json.utf8))
        let value = try parser.parseValue()
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw Malformed(offset: parser.index) }
        var out = ""
        let rules = Rules(volatile: volatile, literals: literals.filter { !$0.key.isEmpty })
        self.print(value, rules, replacing: nil, indent: "", into: &out)
        return out + "\n"
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func skipSpace() {
        while self.index < self.bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(self.bytes[self.index]) {
            self.index += 1
        }
    }

    private mutating func expect(_ byte: UInt8) throws {
        self.skipSpace()
        guard self.index < self.bytes.count, self.bytes[self.index] == byte else { throw Malformed(offset: self.index) }
        self.index += 1
    }

    private mutating func peek() throws -> UInt8 {
        self.skipSpace()
        guard self.index < self.bytes.count else { throw Malformed(offset: self.index) }
        return self.bytes[self.index]
    }

    /// A string literal, quotes and escapes kept as written.
    private mutating func rawString() throws -> String {
        try self.expect(UInt8(ascii: "\""))
        let start = self.index - 1
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            self.index += 1
            if byte == UInt8(ascii: "\\") {
                self.index += 1
            } else if byte == UInt8(ascii: "\"") {
                return String(decoding: self.bytes[start..<self.index], as: UTF8.self)
            }
        }
        throw Malformed(offset: start)
    }

    private mutating func parseValue() throws -> Value {
        switch try self.peek() {
        case UInt8(ascii: "{"):
            let start = self.index
            self.index += 1
            var members: [(key: String, raw: String, value: Value)] = []
            if try self.peek() == UInt8(ascii: "}") {
                // An empty container is kept as written, inner whitespace and all.
                self.index += 1
                return .scalar(String(decoding: self.bytes[start..<self.index], as: UTF8.self))
            }
            while true {
                let raw = try self.rawString()
                try self.expect(UInt8(ascii: ":"))
                let value = try self.parseValue()
                // Keys here are plain snake_case: the raw literal without quotes is the key.
                members.append((String(raw.dropFirst().dropLast()), raw, value))
                if try self.peek() == UInt8(ascii: ",") {
                    self.index += 1
                    continue
                }
                try self.expect(UInt8(ascii: "}"))
                return .object(members)
            }
        case UInt8(ascii: "["):
            let start = self.index
            self.index += 1
            var elements: [Value] = []
            if try self.peek() == UInt8(ascii: "]") {
                self.index += 1
                return .scalar(String(decoding: self.bytes[start..<self.index], as: UTF8.self))
            }
            while true {
                elements.append(try self.parseValue())
                if try self.peek() == UInt8(ascii: ",") {
                    self.index += 1
                    continue
                }
                try self.expect(UInt8(ascii: "]"))
                return .array(elements)
            }
        case UInt8(ascii: "\""):
            return .scalar(try self.rawString())
        default:
            let start = self.index
            while self.index < self.bytes.count,
                !([0x20, 0x0A, 0x0D, 0x09] + Array(",]}".utf8)).contains(self.bytes[self.index])
            {
                self.index += 1
            }
            guard self.index > start else { throw Malformed(offset: start) }
            return .scalar(String(decoding: self.bytes[start..<self.index], as: UTF8.self))
        }
    }

    /// Writes `value`; `replacing` names the volatile key it sits under, if
    /// any: then each scalar but `null` inside it becomes `"<key>"`, and the
    /// nesting, the keys and the nulls are still written as they are.
    struct Rules {
        let volatile: Set<String>
        let literals: [String: String]
    }

    private static func print(
        _ value: Value, _ rules: Rules, replacing: String?, indent: String, into out: inout String
    ) {
        let inner = indent + "  "
        switch value {
        case .scalar(let text):
            if let replacing, text != "null", !text.hasPrefix("[") && !text.hasPrefix("{") {
                out += "\"<\(replacing)>\""
            } else if text.hasPrefix("\""), !rules.literals.isEmpty {
                var string = text
                for (literal, placeholder) in rules.literals {
                    string = string.replacingOccurrences(of: literal, with: placeholder)
                }
                out += string
            } else {
                out += text
            }
        case .array(let elements):
            out += "[\n"
            for (i, element) in elements.enumerated() {
                out += inner
                self.print(element, rules, replacing: replacing, indent: inner, into: &out)
                out += i == elements.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case .object(let members):
            out += "{\n"
            for (i, member) in members.enumerated() {
                out += inner + member.raw + " : "
                let key = rules.volatile.contains(member.key) ? member.key : replacing
                self.print(member.value, rules, replacing: key, indent: inner, into: &out)
                out += i == members.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        }
    }
}
