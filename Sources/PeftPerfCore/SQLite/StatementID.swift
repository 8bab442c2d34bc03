/// A normalized statement's stable short id: the first 12 hex digits of the
/// 64-bit FNV-1a hash of its UTF-8 bytes.
///
/// It depends on the statement text alone, not on the database, so that the
/// same statement recorded against a copy of a database (or another
/// deployment) has the same id. It never changes across runs, machines or
/// versions: FNV-1a has fixed constants, unlike Swift's `Hasher`, which is
/// seeded per process. JSON (`statement_id`), tables and `db slow --id` share it.
public enum StatementID {
    /// The number of hex digits of an id.
    public static let length = 12

    /// The id of `statement` (normalized text, as the store keeps it).
    public static func of(_ statement: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in statement.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(Self.length)
        for i in 0..<Self.length {
            let shift = UInt64(60 - 4 * i)
            out.append(digits[Int((hash >> shift) & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` has an id's form: exactly ``length`` lower- or
    /// upper-case hex digits.
    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == Self.length
            && text.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46)
            }
    }
}
