#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A value bound to a statement parameter or read from a result column.
///
/// It is written with literals where that is convenient:
/// `try db.query("SELECT * FROM t WHERE a = ? AND b = ?", ["key", 5])`.
public enum SQLiteValue: Sendable, Hashable {
    case integer(Int64)
    case double(Double)
    case text(String)
    case blob(Data)
    case null

    /// The value as an `Int`, converting doubles and numeric text as SQLite would.
    public var intValue: Int? {
        switch self {
        case .integer(let v): return Int(v)
        case .double(let v): return v.isFinite && abs(v) < 9.2e18 ? Int(v) : nil
        case .text(let s): return Int(s)
        default: return nil
        }
    }

    /// The value as a `Double`.
    public var doubleValue: Double? {
        switch self {
        case .integer(let v): return Double(v)
        case .double(let v): return v
        case .text(let s): return Double(s)
        default: return nil
        }
    }

    /// The value as a `String`; integers and doubles are formatted.
    public var stringValue: String? {
        switch self {
        case .text(let s): return s
        case .integer(let v): return String(v)
        case .double(let v): return String(v)
        case .blob(let d): return String(decoding: d, as: UTF8.self)
        case .null: return nil
        }
    }

    /// The value as bytes (blobs and text).
    public var dataValue: Data? {
        switch self {
        case .blob(let d): return d
        case .text(let s): return Data(s.utf8)
        default: return nil
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension SQLiteValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByNilLiteral
{
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension SQLiteValue {
    /// An integer value.
    public static func int(_ value: Int) -> SQLiteValue { .integer(Int64(value)) }
    /// A text value, or NULL when `value` is nil.
    public static func optional(_ value: String?) -> SQLiteValue { value.map { .text($0) } ?? .null }
    /// A double value, or NULL when `value` is nil or not finite.
    public static func optional(_ value: Double?) -> SQLiteValue {
        guard let value, value.isFinite else { return .null }
        return .double(value)
    }
}
