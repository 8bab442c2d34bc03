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
/// - Its entries are entries of the one persistent cache, so `cache stats`
///   counts them: each entry in `size` and `bytes`, each lookup as the hit or
///   miss it was. Nothing else counts: a cache that is off (`--no-cache`, or
///   after its warning) neither reads nor counts, and a database file that
///   cannot be examined is computed without a lookup. An entry for a state the
///   database has left is never served again; it ages out after its TTL (an
///   expiration) or is evicted by newer entries.
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

    /// The cached value of `section` for the database at `databasePath` in
    /// its current state, or `compute()`'s result, stored for `ttl` seconds.
    ///
    /// The key comes from ``DatabaseCacheKey``, made before `compute` runs:
    /// a database that changes while the value is computed can only make the
    /// value newer than its key, never older, so a lookup never serves a
    /// structure older than the database it names. When the cache is off
    /// (`--no-cache`, or turned off by a failure) the file is not even
    /// examined; when the file cannot be examined, nothing is looked up or
    /// stored and the value is computed.
    ///
    /// - Parameters:
    ///   - section: What the value is (``Section``).
    ///   - subject: What it is about within the section, such as a
    ///     normalized statement; nil for one value per database.
    ///   - databasePath: The application's database.
    ///   - ttl: Seconds the value stays valid; nil for the default (300 s).
    ///   - compute: Produces the value on a miss, or always when the cache is off.
    /// - Throws: Only what `compute` throws; nothing is stored then.
    public func value<Value: Codable>(
        section: Section,
        subject: String? = nil,
        databasePath: String,
        ttl: Double? = nil,
        compute: () throws -> Value
    ) rethrows -> CachedValue<Value> {
        guard self.isActive,
            let key = DatabaseCacheKey.make(section: section.rawValue, subject: subject, databasePath: databasePath)
        else {
            return CachedValue(value: try compute(), cached: false, ageSeconds: nil)
        }
        return try self.value(forKey: key, ttl: ttl, compute: compute)
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

extension ReportCache {
    /// The report parts cached per database; each names one computation, so
    /// reports that compute the same thing share its entries (`db stats`,
    /// `metrics` and `recommend` share ``structure``).
    public enum Section: String, Sendable, CaseIterable {
        /// ``DatabaseStructure/inspect(_:fileSizeBytes:exactCounts:)`` with
        /// default counting and the file's real size: tables, exact (or, above
        /// ``DatabaseStructure/exactCountLimitBytes``, estimated) row counts,
        /// indexes and the page figures.
        case structure = "structure/v1"
        /// `EXPLAIN QUERY PLAN` of one normalized statement (the subject), as
        /// ``QueryPlan/text(of:on:)`` renders it; nil when it does not prepare.
        case queryPlan = "query-plan/v1"
        /// `db slow`'s verified index suggestions for a set of statements.
        case slowQueryAdvice = "db-slow/index-advice/v1"
        /// `recommend`'s index advice for the recorded statements plus the
        /// known hot queries.
        case recommendAdvice = "recommend/index-advice/v2"
    }

    /// A subject made of several statements, in a canonical order, so that
    /// the same set always gives the same key.
    static func subject(statements: some Sequence<String>) -> String {
        Set(statements).sorted().joined(separator: "\u{1E}")
    }
}

@available(*, unavailable)
extension ReportCache: Sendable {}
