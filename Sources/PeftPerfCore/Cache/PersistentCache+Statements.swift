/// The cache's SQL: its tables (``PersistentCache/component``), every
/// statement it prepares (``PersistentCache/Query``), and the values its
/// rows are read into.
extension PersistentCache {
    /// The cache's tables in the store. Migrations are only ever appended.
    public static let component = StoreComponent(
        name: "cache",
        migrations: [
            """
            CREATE TABLE IF NOT EXISTS cache_entries (
                id INTEGER PRIMARY KEY,
                last_access INTEGER NOT NULL,
                hits INTEGER NOT NULL DEFAULT 0,
                boot_id INTEGER NOT NULL,
                written_boot_ns INTEGER NOT NULL,
                written_wall_ns INTEGER NOT NULL,
                ttl_ns INTEGER NOT NULL,
                size_bytes INTEGER NOT NULL,
                key TEXT NOT NULL UNIQUE
            );
            CREATE TABLE IF NOT EXISTS cache_values (
                id INTEGER PRIMARY KEY,
                value BLOB NOT NULL
            );
            CREATE TABLE IF NOT EXISTS cache_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                capacity INTEGER NOT NULL,
                size INTEGER NOT NULL DEFAULT 0,
                hits INTEGER NOT NULL DEFAULT 0,
                misses INTEGER NOT NULL DEFAULT 0,
                evictions INTEGER NOT NULL DEFAULT 0,
                expirations INTEGER NOT NULL DEFAULT 0,
                boot_id INTEGER NOT NULL DEFAULT 0,
                access_offset INTEGER NOT NULL DEFAULT 0
            );
            INSERT OR IGNORE INTO cache_state (id, capacity) VALUES (1, 1000);
            """
        ])

    /// Every statement the cache runs, prepared once per connection.
    enum Query: Int, CaseIterable {
        case beginImmediate, beginRead, commit, rollback
        case hit, readValue, find, findStamp, insert, update, deleteEntry, coldest, storeValue, deleteValue
        case countMiss, countExpiredMiss, countRemoval, readSize, writeState, readState, entryTotals
        case readClock, writeClock, maxAccess, countEntries, deleteAll, deleteAllValues, resetState

        /// The live-entry test shared by the statements: ?3 boot id, ?4 boot
        /// clock, ?5 wall clock; the same rule as ``Stamp/ageNanoseconds(_:)``.
        static let ageExpression = """
            (CASE WHEN ?3 != 0 AND boot_id = ?3 AND ?4 >= written_boot_ns THEN ?4 - written_boot_ns
             ELSE MAX(0, ?5 - written_wall_ns) END)
            """

        var sql: String {
            switch self {
            case .beginImmediate: "BEGIN IMMEDIATE"
            case .beginRead: "BEGIN DEFERRED"
            case .commit: "COMMIT"
            case .rollback: "ROLLBACK"
            case .hit:
                """
                UPDATE cache_entries SET last_access = ?1, hits = hits + 1
                WHERE key = ?2 AND \(Self.ageExpression) < ttl_ns
                RETURNING id, boot_id, written_boot_ns, written_wall_ns, ttl_ns
                """
            case .readValue: "SELECT value FROM cache_values WHERE id = ?"
            case .storeValue: "INSERT OR REPLACE INTO cache_values (id, value) VALUES (?, ?)"
            case .deleteValue: "DELETE FROM cache_values WHERE id = ?"
            case .deleteAllValues: "DELETE FROM cache_values"
            case .find: "SELECT id, hits FROM cache_entries WHERE key = ?"
            case .findStamp:
                "SELECT id, boot_id, written_boot_ns, written_wall_ns, ttl_ns, hits FROM cache_entries WHERE key = ?"
            case .insert:
                """
                INSERT INTO cache_entries
                    (boot_id, written_boot_ns, written_wall_ns, ttl_ns, last_access, size_bytes, key, hits)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0)
                """
            case .update:
                """
                UPDATE cache_entries SET boot_id = ?1, written_boot_ns = ?2, written_wall_ns = ?3, ttl_ns = ?4,
                    last_access = ?5, size_bytes = ?6
                WHERE id = ?7
                """
            case .deleteEntry: "DELETE FROM cache_entries WHERE id = ?"
            case .coldest:
                """
                SELECT id, boot_id, written_boot_ns, written_wall_ns, ttl_ns, hits FROM cache_entries
                ORDER BY last_access LIMIT ?
                """
            case .countMiss: "UPDATE cache_state SET misses = misses + 1 WHERE id = 1"
            case .countExpiredMiss:
                """
                UPDATE cache_state SET misses = misses + 1, expirations = expirations + 1, size = size - 1,
                    hits = hits + ? WHERE id = 1
                """
            case .countRemoval:
                "UPDATE cache_state SET size = size - 1, hits = hits + ?, expirations = expirations + ? WHERE id = 1"
            case .readSize: "SELECT size FROM cache_state WHERE id = 1"
            case .writeState:
                """
                UPDATE cache_state SET capacity = ?, size = ?, hits = hits + ?, evictions = evictions + ?,
                    expirations = expirations + ? WHERE id = 1
                """
            case .readState: "SELECT capacity, hits, misses, evictions, expirations FROM cache_state WHERE id = 1"
            case .entryTotals:
                "SELECT COUNT(*), COALESCE(SUM(hits), 0), COALESCE(SUM(size_bytes), 0) FROM cache_entries"
            case .readClock: "SELECT boot_id, access_offset FROM cache_state WHERE id = 1"
            case .writeClock: "UPDATE cache_state SET boot_id = ?, access_offset = ? WHERE id = 1"
            case .maxAccess: "SELECT COALESCE(MAX(last_access), 0) FROM cache_entries"
            case .countEntries: "SELECT COUNT(*) FROM cache_entries"
            case .deleteAll: "DELETE FROM cache_entries"
            case .resetState:
                "UPDATE cache_state SET size = 0, hits = 0, misses = 0, evictions = 0, expirations = 0 WHERE id = 1"
            }
        }
    }

    // MARK: - Rows

    /// The moment of an operation on both clocks.
    struct Now {
        let boot: Int64
        let wall: Int64
        let bootID: Int64

        init(_ clock: PersistentCacheClock) {
            boot = clock.bootNanoseconds()
            wall = clock.wallNanoseconds()
            bootID = clock.bootID
        }
    }

    /// When and under which boot an entry was written, and its TTL.
    struct Stamp {
        let bootID: Int64
        let writtenBoot: Int64
        let writtenWall: Int64
        let ttl: Int64

        /// Reads `boot_id, written_boot_ns, written_wall_ns, ttl_ns` from
        /// consecutive columns.
        init(statement: SQLiteStatement, from column: Int) {
            bootID = statement.int64(at: column)
            writtenBoot = statement.int64(at: column + 1)
            writtenWall = statement.int64(at: column + 2)
            ttl = statement.int64(at: column + 3)
        }

        /// Age on the shared monotonic clock if written during this boot,
        /// else on the wall clock (clamped at 0 if the wall clock went back).
        func ageNanoseconds(_ now: Now) -> Int64 {
            if bootID != 0 && bootID == now.bootID && now.boot >= writtenBoot {
                return now.boot - writtenBoot
            }
            return max(0, now.wall &- writtenWall)
        }

        func isExpired(_ now: Now) -> Bool {
            ageNanoseconds(now) >= ttl
        }
    }

    /// Counter increments of one write, applied in one statement.
    struct StateChange {
        var hits: Int64 = 0
        var evictions = 0
        var expirations = 0
    }

    struct Victim {
        let id: Int64
        let stamp: Stamp
        let hits: Int64
    }
}
