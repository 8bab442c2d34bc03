#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// The cache that peft-perf's one-shot processes share, kept in the store
/// (`--store`), never in the application's database.
///
/// Same semantics as ``LRUCache``, across processes:
/// - LRU by last access: every hit or write stamps the entry with the
///   current access time, and an insert into a full cache deletes the
///   entries with the oldest stamps;
/// - a TTL per entry, aged on the boot-wide monotonic clock (wall time only
///   for entries written before a reboot; see ``PersistentCacheClock``);
///   expired entries are dropped when read, and a write drops the expired
///   entries it meets at the least recently used end;
/// - a capacity in entries;
/// - hits, misses, evictions and expirations counted in the store, so every
///   process adds to the same figures.
///
/// ## Concurrency
///
/// Any number of processes (each with its own `PersistentCache`) may use one
/// store at once: the store is in WAL mode with `synchronous=NORMAL` and a
/// busy timeout, and every operation that writes, including a get that
/// counts a hit, is one `BEGIN IMMEDIATE` transaction, so writers queue on
/// the lock instead of failing halfway. An instance is one SQLite connection
/// and is not thread-safe; give each thread its own.
///
/// ## Cost of a hit
///
/// A hit is one transaction that changes one page: the entry's row gets its
/// new access stamp and its own hit count (`hits` in ``stats()`` is the
/// table's counter plus the entries' counters; an entry's count moves to
/// the table's when the entry is deleted). Counting hits in the shared
/// `cache_state` row, or keeping an index on the access stamp, would make
/// every hit write two to four pages to the WAL instead. Eviction therefore
/// scans the entries for the oldest stamps; it only runs on inserts into a
/// full cache, which follow an expensive computation anyway.
///
/// Values live in their own table, so that the entries table stays a few
/// dozen pages: the eviction scan and ``stats()`` (which sums hits and
/// sizes over the entries) never read the payloads.
///
/// ## Access stamps
///
/// Stamps must order accesses from every process. They are the boot-wide
/// monotonic clock plus a per-boot offset kept in `cache_state`: the first
/// process of a new boot sets the offset so that the new stamps continue
/// after the old ones. Where no boot identity exists (non-Linux), stamps are
/// wall-clock nanoseconds.
///
/// ## Schema
///
/// The cache is the store component `cache` (``component``; its version is
/// kept in the store's `meta` table):
///
/// ```sql
/// cache_entries(id INTEGER PRIMARY KEY, last_access, hits, boot_id, written_boot_ns,
///               written_wall_ns, ttl_ns, size_bytes, key TEXT UNIQUE)
/// cache_values(id INTEGER PRIMARY KEY, value BLOB)   -- same id as the entry
/// cache_state(id = 1, capacity, size, hits, misses, evictions, expirations,
///             boot_id, access_offset)
/// ```
///
/// The store and the tables are created on first write;
/// ``openExisting(storePath:busyTimeout:clock:)`` never creates either.
public final class PersistentCache {
    /// Default capacity in entries.
    public static let defaultCapacity = 1000

    /// The store's path.
    public let storePath: String
    /// Maximum number of entries; written to the store with every insert.
    public let capacity: Int
    /// TTL in seconds of entries set without one.
    public let defaultTTL: Double

    /// Owns the connection.
    private let store: PerformanceStore
    private var connection: SQLiteConnection { store.connection }
    private let clock: PersistentCacheClock
    /// Added to the boot clock to make access stamps; nil until read.
    private var accessOffset: Int64?
    /// Prepared statements, by ``Query``.
    private var statements: [SQLiteStatement?] = Array(repeating: nil, count: Query.allCases.count)

    /// Opens the cache in the store at `storePath`, creating the store (and
    /// its directory) and the cache tables if they are missing.
    ///
    /// - Parameters:
    ///   - storePath: The store file.
    ///   - capacity: Maximum number of entries; must be positive.
    ///   - defaultTTL: Seconds an entry lives when set without a TTL.
    ///   - busyTimeout: Seconds to wait for another process's write lock.
    ///   - clock: The clocks; for tests.
    /// - Throws: ``CacheError`` if the store cannot be created, opened or
    ///   written, or holds cache tables of a newer schema.
    public init(
        storePath: String,
        capacity: Int = PersistentCache.defaultCapacity,
        defaultTTL: Double = 300,
        busyTimeout: Double = 2,
        clock: PersistentCacheClock = .system
    ) throws(CacheError) {
        precondition(capacity > 0, "PersistentCache capacity must be positive")
        self.storePath = storePath
        self.capacity = capacity
        self.defaultTTL = defaultTTL
        self.clock = clock
        do {
            self.store = try PerformanceStore.openOrCreate(at: storePath, busyTimeout: busyTimeout)
            try store.install(Self.component)
        } catch {
            throw CacheError(storePath: storePath, error)
        }
    }

    private init(storePath: String, store: PerformanceStore, capacity: Int, clock: PersistentCacheClock) {
        self.storePath = storePath
        self.store = store
        self.capacity = capacity
        self.defaultTTL = 300
        self.clock = clock
    }

    /// Opens the cache of an existing store without creating anything.
    ///
    /// - Returns: nil if the store file does not exist or holds no cache
    ///   tables yet (an empty cache, for `cache stats` and `cache clear`).
    /// - Throws: ``CacheError`` if the store exists but cannot be read.
    public static func openExisting(
        storePath: String, busyTimeout: Double = 2, clock: PersistentCacheClock = .system
    ) throws(CacheError) -> PersistentCache? {
        do {
            guard let store = try PerformanceStore.openIfExists(at: storePath, busyTimeout: busyTimeout),
                try store.isInstalled(component)
            else { return nil }
            let capacity = try store.connection.scalar("SELECT capacity FROM cache_state WHERE id = 1")
            var stored = defaultCapacity
            if case .integer(let c) = capacity, c > 0 { stored = Int(c) }
            return PersistentCache(storePath: storePath, store: store, capacity: stored, clock: clock)
        } catch {
            throw CacheError(storePath: storePath, error)
        }
    }

    // MARK: - Operations

    /// The entry for `key`, or nil if it is absent or expired.
    ///
    /// Counts a hit (and makes the entry the most recently used) or a miss;
    /// an expired entry is deleted and counted as an expiration and a miss.
    /// One `BEGIN IMMEDIATE` transaction.
    public func entry(forKey key: String) throws(CacheError) -> PersistentCacheEntry? {
        let now = Now(clock)
        return try write { () throws(SQLiteError) -> PersistentCacheEntry? in
            let access = try accessStamp(now)
            // The hit: stamp and count in one statement, if live.
            let hit = try prepared(.hit)
            defer { hit.reset() }
            try hit.bind([.integer(access), .text(key), .integer(now.bootID), .integer(now.boot), .integer(now.wall)])
            if try hit.step() {
                let id = hit.int64(at: 0)
                let age = Stamp(statement: hit, from: 1).ageNanoseconds(now)
                hit.reset()
                let read = try prepared(.readValue)
                defer { read.reset() }
                try read.bind(id, at: 1)
                let value = try read.step() ? read.data(at: 0) ?? Data() : Data()
                return PersistentCacheEntry(value: value, ageSeconds: Double(age) / 1e9)
            }
            hit.reset()
            // Absent, or present but expired.
            let find = try prepared(.find)
            defer { find.reset() }
            try find.bind(key, at: 1)
            guard try find.step() else {
                try run(.countMiss)
                return nil
            }
            let id = find.int64(at: 0)
            let hits = find.int64(at: 1)
            find.reset()
            try deleteEntry(id)
            try run(.countExpiredMiss, [.integer(hits)])
            return nil
        }
    }

    /// Stores `value` for `key` as the most recently used entry, evicting the
    /// least recently used entries if the cache is full. One `BEGIN
    /// IMMEDIATE` transaction.
    ///
    /// - Parameters:
    ///   - value: The bytes to store.
    ///   - key: The key.
    ///   - ttl: Seconds until the entry expires; nil for ``defaultTTL``.
    public func setValue(_ value: Data, forKey key: String, ttl: Double? = nil) throws(CacheError) {
        let now = Now(clock)
        let ttlNanoseconds = Self.nanoseconds(fromSeconds: ttl ?? defaultTTL)
        let sizeBytes = key.utf8.count + value.count
        try write { () throws(SQLiteError) in
            // `boot_id, written_boot_ns, written_wall_ns, ttl_ns, last_access`.
            let stamp: [SQLiteValue] = [
                .integer(now.bootID), .integer(now.boot), .integer(now.wall), .integer(ttlNanoseconds),
                .integer(try accessStamp(now)),
            ]
            var change = StateChange()
            var size = try readSize()
            let find = try prepared(.findStamp)
            defer { find.reset() }
            try find.bind(key, at: 1)
            var existing: (id: Int64, expired: Bool)? = nil
            if try find.step() {
                existing = (find.int64(at: 0), Stamp(statement: find, from: 1).isExpired(now))
            }
            find.reset()
            // One scan finds both the expired entries at the cold end and,
            // for a new key in a full cache, the eviction victims.
            let needed = existing == nil ? size - capacity + 1 : 0
            var victims = try coldestEntries(limit: max(2, needed))[...]
            func delete(_ victim: Victim) throws(SQLiteError) {
                try deleteEntry(victim.id)
                size -= 1
                change.hits += victim.hits
                if victim.stamp.isExpired(now) { change.expirations += 1 } else { change.evictions += 1 }
                if victim.id == existing?.id { existing = nil }
            }
            // Expired entries at the cold end go first, whatever the key.
            var dropped = 0
            while dropped < 2, let first = victims.first, first.stamp.isExpired(now) {
                try delete(first)
                victims.removeFirst()
                dropped += 1
            }
            if let existing {
                if existing.expired { change.expirations += 1 }
                try run(.update, stamp + [.integer(Int64(sizeBytes)), .integer(existing.id)])
                try storeValue(value, id: existing.id)
            } else {
                while size >= capacity {
                    if victims.isEmpty { victims = try coldestEntries(limit: size - capacity + 1)[...] }
                    guard let victim = victims.popFirst() else { break }
                    try delete(victim)
                }
                try run(.insert, stamp + [.integer(Int64(sizeBytes)), .text(key)])
                try storeValue(value, id: connection.lastInsertRowID)
                size += 1
            }
            try run(
                .writeState,
                [
                    .integer(Int64(capacity)), .integer(Int64(size)), .integer(change.hits),
                    .integer(Int64(change.evictions)), .integer(Int64(change.expirations)),
                ])
        }
    }

    /// Deletes the entry for `key`.
    ///
    /// - Returns: Whether an entry was deleted (expired ones count, as
    ///   expirations).
    @discardableResult
    public func removeValue(forKey key: String) throws(CacheError) -> Bool {
        let now = Now(clock)
        return try write { () throws(SQLiteError) -> Bool in
            let find = try prepared(.findStamp)
            defer { find.reset() }
            try find.bind(key, at: 1)
            guard try find.step() else { return false }
            let id = find.int64(at: 0)
            let expired = Stamp(statement: find, from: 1).isExpired(now)
            let hits = find.int64(at: 5)
            find.reset()
            try deleteEntry(id)
            var change = StateChange()
            change.hits = hits
            change.expirations = expired ? 1 : 0
            try run(.countRemoval, [.integer(change.hits), .integer(Int64(change.expirations))])
            return true
        }
    }

    /// Deletes every entry and resets the counters.
    ///
    /// - Returns: How many entries were deleted.
    @discardableResult
    public func clear() throws(CacheError) -> Int {
        try write { () throws(SQLiteError) -> Int in
            let count = try prepared(.countEntries)
            defer { count.reset() }
            let removed = try count.step() ? count.int(at: 0) : 0
            count.reset()
            try run(.deleteAll)
            try run(.deleteAllValues)
            try run(.resetState)
            return removed
        }
    }

    /// The counters, the size and the stored bytes (keys plus values), read
    /// in one snapshot. Writes nothing.
    public func stats() throws(CacheError) -> CacheStats {
        do {
            try prepared(.beginRead).step()
            defer {
                if !connection.isAutocommit { _ = try? prepared(.rollback).step() }
            }
            let state = try prepared(.readState)
            defer { state.reset() }
            guard try state.step() else {
                return CacheStats(
                    capacity: capacity, size: 0, hits: 0, misses: 0, evictions: 0, expirations: 0, bytes: 0)
            }
            var stats = CacheStats(
                capacity: state.int(at: 0), size: 0, hits: state.int(at: 1), misses: state.int(at: 2),
                evictions: state.int(at: 3), expirations: state.int(at: 4), bytes: 0)
            state.reset()
            let entries = try prepared(.entryTotals)
            defer { entries.reset() }
            if try entries.step() {
                stats.size = entries.int(at: 0)
                stats.hits += entries.int(at: 1)
                stats.bytes = entries.int(at: 2)
            }
            return stats
        } catch {
            throw CacheError(storePath: storePath, error)
        }
    }

    // MARK: - Statements (their SQL is in PersistentCache+Statements.swift)

    /// The prepared statement for `query`, reset and ready to bind.
    private func prepared(_ query: Query) throws(SQLiteError) -> SQLiteStatement {
        if let statement = statements[query.rawValue] { return statement }
        let statement = try connection.prepare(query.sql)
        statements[query.rawValue] = statement
        return statement
    }

    /// Runs `query` with `bindings` for its parameters 1...n, discarding rows.
    private func run(_ query: Query, _ bindings: [SQLiteValue] = []) throws(SQLiteError) {
        let statement = try prepared(query)
        defer { statement.reset() }
        try statement.bind(bindings)
        while try statement.step() {}
    }

    // MARK: - Internals

    /// Seconds to nanoseconds, saturating; NaN and non-positive give 0.
    static func nanoseconds(fromSeconds seconds: Double) -> Int64 {
        guard seconds > 0 else { return 0 }
        guard seconds < 9.2e9 else { return .max }
        return Int64(seconds * 1e9)
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction; commits if it returns,
    /// rolls back if it throws.
    private func write<T>(_ body: () throws(SQLiteError) -> T) throws(CacheError) -> T {
        do {
            try prepared(.beginImmediate).step()
            let result: T
            do {
                result = try body()
                try prepared(.commit).step()
            } catch {
                // SQLite may have rolled back already (SQLITE_FULL, for one).
                if !connection.isAutocommit { _ = try? prepared(.rollback).step() }
                throw error
            }
            return result
        } catch {
            // Name the real cause (a full disk, a read-only directory), not SQLite's
            // "attempt to write a readonly database".
            throw CacheError(storePath: storePath, store.writeFailure(error))
        }
    }

    /// The access stamp for `now`, inside a write transaction.
    ///
    /// The per-boot offset is read once per instance; the first instance of
    /// a new boot moves it so that stamps keep increasing across the reboot.
    private func accessStamp(_ now: Now) throws(SQLiteError) -> Int64 {
        guard now.bootID != 0 else { return now.wall }
        if let accessOffset { return now.boot &+ accessOffset }
        let read = try prepared(.readClock)
        defer { read.reset() }
        var offset: Int64 = 0
        var bootID: Int64 = 0
        if try read.step() {
            bootID = read.int64(at: 0)
            offset = read.int64(at: 1)
        }
        read.reset()
        if bootID != now.bootID {
            let latest = try prepared(.maxAccess)
            defer { latest.reset() }
            let maxAccess = try latest.step() ? latest.int64(at: 0) : 0
            latest.reset()
            offset = max(0, maxAccess &+ 1 &- now.boot)
            try run(.writeClock, [.integer(now.bootID), .integer(offset)])
        }
        accessOffset = offset
        return now.boot &+ offset
    }

    /// Deletes an entry's row and its value.
    private func deleteEntry(_ id: Int64) throws(SQLiteError) {
        try run(.deleteEntry, [.integer(id)])
        try run(.deleteValue, [.integer(id)])
    }

    private func storeValue(_ value: Data, id: Int64) throws(SQLiteError) {
        try run(.storeValue, [.integer(id), .blob(value)])
    }

    private func readSize() throws(SQLiteError) -> Int {
        let statement = try prepared(.readSize)
        defer { statement.reset() }
        return try statement.step() ? statement.int(at: 0) : 0
    }

    /// The `limit` least recently used entries, coldest first (a scan: see
    /// "Cost of a hit").
    private func coldestEntries(limit: Int) throws(SQLiteError) -> [Victim] {
        guard limit > 0 else { return [] }
        let statement = try prepared(.coldest)
        defer { statement.reset() }
        try statement.bind(limit, at: 1)
        var result: [Victim] = []
        while try statement.step() {
            result.append(
                Victim(
                    id: statement.int64(at: 0), stamp: Stamp(statement: statement, from: 1),
                    hits: statement.int64(at: 5)))
        }
        return result
    }
}

@available(*, unavailable)
extension PersistentCache: Sendable {}
