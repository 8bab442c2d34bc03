/// A cache as the benchmark drives it: get, set, and hit counters.
///
/// The loops are generic over this protocol and specialized by the
/// optimizer, so an in-memory subject costs no dynamic dispatch.
protocol CacheBenchmarkSubject: AnyObject, Sendable {
    associatedtype Key: Sendable
    func benchmarkGet(_ key: Key) -> Int?
    func benchmarkSet(_ key: Key)
    /// Hits and lookups so far.
    func benchmarkHitCounters() -> (hits: Int, lookups: Int)
}

extension LRUCache: CacheBenchmarkSubject where Value == Int {
    @inline(__always)
    func benchmarkGet(_ key: Key) -> Int? { value(forKey: key) }

    @inline(__always)
    func benchmarkSet(_ key: Key) { setValue(1, forKey: key) }

    func benchmarkHitCounters() -> (hits: Int, lookups: Int) {
        let stats = stats
        return (stats.hits, stats.hits + stats.misses)
    }
}
