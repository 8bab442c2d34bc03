#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A live entry read from the persistent cache.
public struct PersistentCacheEntry: Sendable, Equatable {
    /// The stored bytes.
    public var value: Data
    /// Seconds since the entry was written.
    public var ageSeconds: Double
}
