/// A report section's value and whether it came from the cache.
///
/// Reports put `cached` and `age_seconds` next to a section served from the
/// cache, so that a reader knows how old it is.
public struct CachedValue<Value> {
    public var value: Value
    /// True if the value was read from the cache rather than computed now.
    public var cached: Bool
    /// Seconds since the cached value was computed; nil when computed now.
    public var ageSeconds: Double?

    public init(value: Value, cached: Bool, ageSeconds: Double?) {
        self.value = value
        self.cached = cached
        self.ageSeconds = ageSeconds
    }
}

extension CachedValue: Sendable where Value: Sendable {}
extension CachedValue: Equatable where Value: Equatable {}
