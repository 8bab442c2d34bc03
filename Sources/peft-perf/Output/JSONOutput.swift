#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Encodes reports as JSON: sorted keys, readable, ending with a newline.
///
/// Reports hold `Double?` where a figure can be undefined, so NaN never
/// reaches the encoder; if one slips through, encoding fails loudly rather
/// than emitting invalid JSON.
enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
