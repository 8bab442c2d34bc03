#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Cache keys for results derived from a database file, which change
/// whenever the database does. The one place that decides what "the database
/// is unchanged" means; every report section cached through ``ReportCache``
/// gets its key here.
///
/// The key holds the file's identity (device and inode: a file replaced by a
/// rename is another file), its size, `mtime_ns` and header change counter
/// (bytes 24-27, which every commit in rollback-journal mode increments, even
/// two commits within one coarse mtime tick), and for a database in WAL mode
/// the `-wal` file's size, `mtime_ns`, checkpoint sequence and header salts.
/// The WAL part is needed: a commit in WAL mode appends to the `-wal` file and
/// leaves the main file's size, mtime and change counter alone until a
/// checkpoint, and a WAL restart after a checkpoint rewrites frames in place
/// (same size) but draws new salts. `PRAGMA data_version` is no help: it is
/// per connection and says nothing across processes.
///
/// A `-wal` file shorter than its 32-byte header (absent, or emptied by a
/// truncating checkpoint, or just created by a reader) holds no commit: the
/// main file is the whole database, so all of these give the same key. That
/// keeps the key stable across the first read-only open of a WAL database,
/// which leaves an empty `-wal` file behind.
///
/// Related SQLite documentation: <https://www.sqlite.org/fileformat2.html#walformat>
public enum DatabaseCacheKey {
    /// The key of `section` (a report part, such as `"structure"`) for the
    /// database at `databasePath` in its current state.
    ///
    /// - Parameters:
    ///   - section: What the value is; each distinct computation has its own.
    ///   - subject: What the value is about within the section (a normalized
    ///     statement, say); nil when the section has one value per database.
    ///     It ends the key, so it may hold any character.
    ///   - databasePath: The database file.
    /// - Returns: nil if the file cannot be examined (then don't cache).
    public static func make(section: String, subject: String? = nil, databasePath: String) -> String? {
        guard let main = FileFingerprint(path: databasePath) else { return nil }
        var key = "db2|\(section)|\(main.device):\(main.inode)|\(main.size)|\(main.modifiedNanoseconds)"
        key += "|\(self.changeCounter(path: databasePath))"
        let walPath = databasePath + "-wal"
        if let wal = FileFingerprint(path: walPath), wal.size >= 32 {
            key += "|wal:\(wal.size):\(wal.modifiedNanoseconds):\(self.walHeader(path: walPath))"
        } else {
            key += "|wal:none"
        }
        if let subject { key += "|" + self.compact(subject) }
        return key
    }

    /// Subjects up to this many UTF-8 bytes are kept verbatim in the key.
    static let maximumVerbatimSubjectBytes = 1024

    /// `subject` itself, or for a longer one (a set of many statements) its
    /// length and a 128-bit digest: FNV-1a 64 beside the same xor-multiply
    /// walk with another offset and an odd golden-ratio multiplier. Not
    /// cryptographic; the subjects are recorded statements, and a collision
    /// would need two different sets of the same length colliding in both
    /// hashes for the same database state.
    static func compact(_ subject: String) -> String {
        let bytes = subject.utf8
        guard bytes.count > self.maximumVerbatimSubjectBytes else { return subject }
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x6c62_272e_07bb_0142
        let prime: UInt64 = 0x0000_0100_0000_01b3
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* prime
            b = (b ^ UInt64(byte)) &* 0x9e37_79b9_7f4a_7c15
        }
        return "digest:\(bytes.count):\(String(a, radix: 16)):\(String(b, radix: 16))"
    }

    /// The database header's file change counter (big-endian, bytes 24-27),
    /// or `-` when the file is shorter than that.
    static func changeCounter(path: String) -> String {
        guard let bytes = self.read(path: path, count: 28) else { return "-" }
        return String(self.bigEndian(bytes, at: 24))
    }

    /// `checkpoint-sequence:salt-1:salt-2` from the 32-byte WAL header, or
    /// `short` for a file shorter than a header.
    static func walHeader(path: String) -> String {
        guard let bytes = self.read(path: path, count: 32) else { return "short" }
        // Big-endian 32-bit fields at byte offsets 12 (checkpoint sequence),
        // 16 (salt-1) and 20 (salt-2).
        return "\(self.bigEndian(bytes, at: 12)):\(self.bigEndian(bytes, at: 16)):\(self.bigEndian(bytes, at: 20))"
    }

    /// The first `count` bytes of the file, or nil if it is shorter or unreadable.
    private static func read(path: String, count: Int) -> [UInt8]? {
        // O_NONBLOCK: never block on a FIFO swapped in for the file.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        return read == count ? bytes : nil
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
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
