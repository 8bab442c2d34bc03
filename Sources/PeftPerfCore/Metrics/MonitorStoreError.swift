/// The store's request figures cannot be read or written as expected.
public struct MonitorStoreError: Error, CustomStringConvertible, Sendable, Equatable {
    public let reason: String

    init(_ reason: String) { self.reason = reason }

    public var description: String { "store: \(self.reason)" }
}
