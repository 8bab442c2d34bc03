/// A report field that is always written, as `null` when it has no value or
/// its value is not finite: JSON has no NaN or infinity, and scripts read
/// fixed keys, so a missing figure is a `null`, never an absent key.
///
/// With it, synthesized `Encodable` writes a report; a hand-written
/// `encode(to:)` only for `finiteOrNil` or explicit nulls is not needed.
/// It handles `Double`, optionals of anything `Encodable` (`Double?` is
/// checked for finiteness too), `[Double]` and `[String: Double?]`.
@propertyWrapper
public struct FiniteOrNull<Value: Encodable & Sendable>: Encodable, Sendable {
    public var wrappedValue: Value

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self.wrappedValue as Any {
        case let optional as any OptionalValue where optional.isNone:
            try c.encodeNil()
        case let number as Double:
            if number.isFinite { try c.encode(number) } else { try c.encodeNil() }
        case let numbers as [Double]:
            try c.encode(numbers.map(\.finiteOrNil))
        case let numbers as [String: Double?]:
            try c.encode(numbers.mapValues { $0?.finiteOrNil })
        default:
            try c.encode(self.wrappedValue)
        }
    }
}

extension FiniteOrNull: Equatable where Value: Equatable {}

/// An `Optional` seen through `Any`: whether it holds nothing.
protocol OptionalValue {
    var isNone: Bool { get }
}

extension Optional: OptionalValue {
    var isNone: Bool { self == nil }
}

extension FiniteOrNull: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        self.wrappedValue = try decoder.singleValueContainer().decode(Value.self)
    }
}

extension FiniteOrNull: Hashable where Value: Hashable {}
