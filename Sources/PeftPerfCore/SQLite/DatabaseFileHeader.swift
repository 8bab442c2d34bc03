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

    /// The page size in bytes (bytes 16-17, big-endian; 1 means 65536), as
    /// written: check ``problem`` before relying on it.
    public var pageSize: Int? {
        guard self.bytes.count >= 18 else { return nil }
        let raw = Int(self.bytes[16]) << 8 | Int(self.bytes[17])
        return raw == 1 ? 65536 : raw
    }

    /// What is wrong with a header that starts with the magic string, or nil
    /// when every field SQLite checks before reading is valid.
    ///
    /// Checked in the order of the file, so that a bad page size is reported
    /// as such and never turned into a wrong size (a 0xFFFE page size times the
    /// page count is no "truncated" file). The write version may exceed 2 (a
    /// newer format that SQLite reads read-only, as reports do), and the text
    /// encoding is not checked: SQLite masks it and reads any value.
    ///
    /// - Returns: the field (with its byte offsets) and why its value is invalid.
    public var problem: (field: String, reason: String)? {
        guard self.hasMagic else { return nil }
        guard self.bytes.count >= 100 else {
            return ("header", "the file is \(self.bytes.count) bytes, shorter than the 100-byte database header")
        }
        let rawPageSize = Int(self.bytes[16]) << 8 | Int(self.bytes[17])
        let validPageSize = rawPageSize == 1 || (512...32768 ~= rawPageSize && rawPageSize & (rawPageSize - 1) == 0)
        guard validPageSize else {
            return (
                "page size (bytes 16-17)",
                "it is \(rawPageSize) (0x\(Self.hex(rawPageSize, digits: 4))); valid are the powers of two from 512 to 32768, or 1 for 65536"
            )
        }
        let write = Int(self.bytes[18])
        let read = Int(self.bytes[19])
        if write == 0 {
            return ("file format write version (byte 18)", "it is 0; valid are 1 (rollback journal) and 2 (WAL)")
        }
        if read == 0 {
            return ("file format read version (byte 19)", "it is 0; valid are 1 (rollback journal) and 2 (WAL)")
        }
        if read > 2 {
            return (
                "file format read version (byte 19)",
                "it is \(read); this SQLite reads versions 1 (rollback journal) and 2 (WAL) only"
            )
        }
        let pageSize = self.pageSize ?? 0
        let reserved = Int(self.bytes[20])
        if pageSize - reserved < 480 {
            return (
                "reserved space per page (byte 20)",
                "it is \(reserved) bytes, which leaves \(pageSize - reserved) of each \(pageSize)-byte page; SQLite needs at least 480"
            )
        }
        let fractions = (Int(self.bytes[21]), Int(self.bytes[22]), Int(self.bytes[23]))
        if fractions != (64, 32, 32) {
            return (
                "payload fractions (bytes 21-23)",
                "they are \(fractions.0), \(fractions.1), \(fractions.2); SQLite requires 64, 32, 32"
            )
        }
        if let format = self.uint32(at: 44), format > 4 {
            return ("schema format number (bytes 44-47)", "it is \(format); valid are 1 to 4")
        }
        return nil
    }

    private static func hex(_ value: Int, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(digits - text.count, 0)) + text
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
