#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// One result row: its values by column index, and its column names.
public struct SQLiteRow: Sendable, Hashable {
    /// The column values, in order.
    public let values: [SQLiteValue]
    /// The column names, shared by every row of a result.
    public let columnNames: [String]

    public init(values: [SQLiteValue], columnNames: [String]) {
        self.values = values
        self.columnNames = columnNames
    }

    public var count: Int { self.values.count }

    /// The value at `index`, or NULL when out of range.
    public subscript(index: Int) -> SQLiteValue {
        index >= 0 && index < self.values.count ? self.values[index] : .null
    }

    /// The value of the first column named `name`, or NULL when there is none.
    public subscript(name: String) -> SQLiteValue {
        guard let index = self.columnNames.firstIndex(of: name) else { return .null }
        return self.values[index]
    }

    public func int(_ index: Int) -> Int? { self[index].intValue }
    public func double(_ index: Int) -> Double? { self[index].doubleValue }
    public func string(_ index: Int) -> String? { self[index].stringValue }
    public func data(_ index: Int) -> Data? { self[index].dataValue }
    public func int(_ name: String) -> Int? { self[name].intValue }
    public func double(_ name: String) -> Double? { self[name].doubleValue }
    public func string(_ name: String) -> String? { self[name].stringValue }
}
