#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The first 100 bytes of an SQLite database file, read without SQLite.
///
/// Related SQLite documentation: <https://www.sqlite.org/fileformat.html#the_database_header>
public struct DatabaseFileHeader: Sendable, Equatable {
    /// The raw header bytes (fewer than 100 when the file is shorter).
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Reads the header of the file at `path`.
    ///
    /// - Returns: nil when the file cannot be opened for reading.
    public static func read(path: String) -> Result<DatabaseFileHeader, DatabaseFileError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            return .failure(.inaccessible(path: path, reason: String(cString: strerror(errno))))
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 100)
        while bytes.count < 100 {
            let wanted = 100 - bytes.count
            let n = chunk.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress, wanted) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.inaccessible(path: path, reason: String(cString: strerror(errno))))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return .success(DatabaseFileHeader(bytes: bytes))
    }

    /// Whether the file starts with "SQLite format 3\0".
    public var hasMagic: Bool {
        let magic: [UInt8] = Array("SQLite format 3".utf8) + [0]
        return self.bytes.count >= 16 && Array(self.bytes[0..<16]) == magic
    }

    /// Bytes 18 and 19 (write and read versions) are 2 in WAL mode.
    public var isWAL: Bool {
        self.bytes.count >= 20 && self.bytes[18] == 2 && self.bytes[19] == 2
    }

    /// The page size in bytes (bytes 16-17, big-endian; 1 means 65536).
    public var pageSize: Int? {
        guard self.bytes.count >= 18 else { return nil }
        let raw = Int(self.bytes[16]) << 8 | Int(self.bytes[17])
        return raw == 1 ? 65536 : raw
    }

    /// The file change counter (bytes 24-27).
    public var changeCounter: UInt32? { self.uint32(at: 24) }

    /// The in-header database size in pages (bytes 28-31), when valid: it is valid
    /// only when the version-valid-for number (bytes 92-95) equals the change counter.
    public var declaredPageCount: Int? {
        guard let count = self.uint32(at: 28), let valid = self.uint32(at: 92), valid == self.changeCounter,
            count > 0
        else { return nil }
        return Int(count)
    }

    private func uint32(at offset: Int) -> UInt32? {
        guard self.bytes.count >= offset + 4 else { return nil }
        return self.bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
