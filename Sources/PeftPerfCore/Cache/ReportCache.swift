#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The persistent cache as reports use it: best-effort and lazy.
///
/// - Nothing is opened until the first lookup, so a report that caches
///   nothing never touches the store.
/// - If the store cannot be opened, read or written (read-only, full, locked
///   beyond the busy timeout, a newer schema), the first failure is passed to
///   `warn` once, the cache turns itself off, and every later call just
///   computes: a report never fails because of its cache.
/// - Values are stored as JSON; one that no longer decodes (an older
///   layout) is treated as a miss and overwritten.
/// - Only ever writes to the store, never to the application's database.
///
/// Not thread-safe (one SQLite connection); a report uses it from one thread.
public final class ReportCache {
    private let storePath: String?
    private let capacity: Int
    private let busyTimeout: Double
    private let clock: PersistentCacheClock
    private let warn: (String) -> Void
    private var cache: PersistentCache?
    private var isDisabled: Bool

    /// - Parameters:
    ///   - storePath: The store; nil disables caching.
    ///   - enabled: False for `--no-cache`: bypass the cache entirely.
    ///   - capacity: Maximum number of entries.
    ///   - busyTimeout: Seconds to wait for another process's write lock.
    ///   - clock: The clocks; for tests.
    ///   - warn: Receives the one warning when the cache turns itself off.
    public init(
        storePath: String?,
        enabled: Bool = true,
        capacity: Int = PersistentCache.defaultCapacity,
        busyTimeout: Double = 2,
        clock: PersistentCacheClock = .system,
        warn: @escaping (String) -> Void
    ) {
        self.storePath = storePath
        self.capacity = capacity
        self.busyTimeout = busyTimeout
        self.clock = clock
        self.warn = warn
        self.isDisabled = !enabled || storePath == nil
    }

    /// Whether lookups still go to the store.
    public var isActive: Bool { !isDisabled }

    /// The cached value for `key`, or `compute()`'s result, stored for `ttl`
    /// seconds.
    ///
    /// - Parameters:
    ///   - key: The entry's key; for anything derived from a database, build
    ///     it with ``DatabaseCacheKey`` so that a changed database never
    ///     serves stale results.
    ///   - ttl: Seconds the value stays valid; nil for the default (300 s).
    ///   - compute: Produces the value on a miss, or always when the cache is
    ///     off.
    /// - Throws: Only what `compute` throws.
    public func value<Value: Codable>(
        forKey key: String,
        ttl: Double? = nil,
        compute: () throws -> Value
    ) rethrows -> CachedValue<Value> {
        guard let cache = openIfNeeded() else {
            return CachedValue(value: try compute(), cached: false, ageSeconds: nil)
        }
        do {
            if let entry = try cache.entry(forKey: key),
                let value = try? JSONDecoder().decode(Value.self, from: entry.value)
            {
                return CachedValue(value: value, cached: true, ageSeconds: entry.ageSeconds)
            }
        } catch {
            disable(error)
            return CachedValue(value: try compute(), cached: false, ageSeconds: nil)
        }
        let value = try compute()
        do {
            let data = try JSONEncoder().encode(value)
            try cache.setValue(data, forKey: key, ttl: ttl)
        } catch let error as CacheError {
            disable(error)
        } catch {
            // The value does not encode (NaN, for one): serve it uncached.
        }
        return CachedValue(value: value, cached: false, ageSeconds: nil)
    }

    private func openIfNeeded() -> PersistentCache? {
        if isDisabled { return nil }
        if let cache { return cache }
        guard let storePath else { return nil }
        do {
            let opened = try PersistentCache(
                storePath: storePath, capacity: capacity, busyTimeout: busyTimeout, clock: clock)
            cache = opened
            return opened
        } catch {
            disable(error)
            return nil
        }
    }

    private func disable(_ error: CacheError) {
        guard !isDisabled else { return }
        isDisabled = true
        cache = nil
        warn("cache disabled for this run, results are computed uncached: \(error)")
    }
}

@available(*, unavailable)
extension ReportCache: Sendable {}
