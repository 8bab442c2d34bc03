#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads small kernel files such as `/proc/stat` in one go.
///
/// Files under /proc report a size of 0, so this reads until end of file
/// rather than trusting `fstat`. Plain `open`/`read` keep Foundation off the
/// start-up path.
enum ProcFile {
    /// The whole file as text (invalid UTF-8 is repaired, never trapped on).
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - limit: the most bytes to read; /proc/stat on a 256-CPU machine is
    ///     about 100 KB, and only its first line is needed.
    /// - Throws: ``SystemMetricsError`` (`.unreadable`) naming the file.
    ///   - firstLineOnly: stop once a newline has been read.
    static func read(
        _ path: String, limit: Int = 1 << 20, firstLineOnly: Bool = false
    ) throws(SystemMetricsError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw SystemMetricsError(.unreadable, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { buffer in
                systemRead(fd, buffer.baseAddress, min(buffer.count, limit - bytes.count))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemMetricsError(.unreadable, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if firstLineOnly, chunk[0..<count].contains(UInt8(ascii: "\n")) { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// `read(2)`, named apart from ``ProcFile/read(_:limit:firstLineOnly:)``.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
