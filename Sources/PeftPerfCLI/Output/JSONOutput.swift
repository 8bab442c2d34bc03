#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Encodes reports as JSON: sorted keys, readable, ending with a newline.
///
/// Keys are snake_case by construction: a property `hitRate` is written
/// `hit_rate`, so a report declares `CodingKeys` only where a key is not its
/// property's name (`total_time_seconds` for `totalTime`). An explicit
/// snake_case key passes through unchanged, and dictionary keys (endpoint
/// names, table names) are never touched.
///
/// Reports hold `Double?` where a figure can be undefined, so NaN never
/// reaches the encoder; if one slips through, encoding fails loudly rather
/// than emitting invalid JSON.
///
/// Names from outside (endpoints, SQL, table names, URLs) stay exact: the
/// encoder escapes the C0 controls, as JSON requires, and DEL and the C1
/// controls, which JSON allows raw but a terminal may act on (U+009B is a
/// one-character CSI), are written as `\u007f`…`\u009f` here. They can only
/// occur inside strings, so the text stays valid JSON and decodes to the
/// same names.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(value)
        return self.escapingDELAndC1(String(decoding: data, as: UTF8.self)) + "\n"
    }

    /// `json` with each raw DEL and C1 control written as a `\u00XX` escape.
    static func escapingDELAndC1(_ json: String) -> String {
        // DEL is 0x7F in UTF-8, and every C1 control starts with 0xC2.
        guard json.utf8.contains(where: { $0 == 0x7F || $0 == 0xC2 }) else { return json }
        var out = ""
        out.reserveCapacity(json.utf8.count + 16)
        for scalar in json.unicodeScalars {
            if scalar.value >= 0x7F && scalar.value <= 0x9F {
                out += "\\u00" + String(scalar.value, radix: 16)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
