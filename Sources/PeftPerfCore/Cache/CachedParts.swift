/// Tallies the cached parts of a report section built from several cache
/// lookups: the section counts as cached only when every part was, and its
/// age is the oldest part's.
struct CachedParts: Sendable {
    private(set) var lookups = 0
    private(set) var computed = 0
    private(set) var oldestAgeSeconds: Double? = nil

    init() {}

    /// Counts `value`, and hands its value back.
    @discardableResult
    mutating func add<Value>(_ value: CachedValue<Value>) -> Value {
        self.lookups += 1
        if value.cached {
            self.oldestAgeSeconds = max(self.oldestAgeSeconds ?? 0, value.ageSeconds ?? 0)
        } else {
            self.computed += 1
        }
        return value.value
    }

    /// True when there was at least one part and none was computed now.
    var allCached: Bool { self.lookups > 0 && self.computed == 0 }

    /// `value` with this tally's verdict.
    func cachedValue<Value>(_ value: Value) -> CachedValue<Value> {
        CachedValue(value: value, cached: self.allCached, ageSeconds: self.allCached ? self.oldestAgeSeconds : nil)
    }
}
