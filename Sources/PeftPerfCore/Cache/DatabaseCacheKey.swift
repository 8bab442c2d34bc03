#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Cache keys for results derived from a database file, which change
/// whenever the database does.
///
/// The key holds the file's identity (device and inode: a file replaced by a
/// rename is another file), its size and `mtime_ns`, and for a database in
/// WAL mode the `-wal` file's size, `mtime_ns`, checkpoint sequence and
/// header salts. The WAL part is needed: a commit in WAL mode appends to the
/// `-wal` file and leaves the main file's size, mtime and header change
/// counter alone until a checkpoint, and a WAL restart after a checkpoint
/// rewrites frames in place (same size) but draws new salts. `PRAGMA
/// data_version` is no help: it is per connection and says nothing across
/// processes.
///
/// Related SQLite documentation: <https://www.sqlite.org/fileformat2.html#walformat>
public enum DatabaseCacheKey {
    /// The key of `section` (a report part, such as `"db-stats/row-counts"`)
    /// for the database at `databasePath` in its current state.
    ///
    /// - Returns: nil if the file cannot be examined (then don't cache).
    public static func make(section: String, databasePath: String) -> String? {
        guard let main = FileFingerprint(path: databasePath) else { return nil }
        var key = "db1|\(section)|\(main.device):\(main.inode)|\(main.size)|\(main.modifiedNanoseconds)"
        if let wal = FileFingerprint(path: databasePath + "-wal") {
            let header = walHeader(path: databasePath + "-wal")
            key += "|wal:\(wal.size):\(wal.modifiedNanoseconds):\(header)"
        } else {
            key += "|wal:none"
        }
        return key
    }

    /// `checkpoint-sequence:salt-1:salt-2` from the 32-byte WAL header, or
    /// `short` for a file shorter than a header (an empty WAL after a
    /// truncating checkpoint).
    static func walHeader(path: String) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "unreadable" }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 32, 0) }
        guard count == 32 else { return "short" }
        // Big-endian 32-bit fields at byte offsets 12 (checkpoint sequence),
        // 16 (salt-1) and 20 (salt-2).
        func field(_ offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        return "\(field(12)):\(field(16)):\(field(20))"
    }

    struct FileFingerprint {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let modifiedNanoseconds: Int64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            #if canImport(Darwin)
                let time = info.st_mtimespec
            #else
                let time = info.st_mtim
            #endif
            modifiedNanoseconds = Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
        }
    }
}
