#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a small input file whole (a `--baseline`, a routes source), refusing
/// anything that is not a regular file before reading a byte of it.
enum RegularFile {
    /// Why a file was not read; the caller words the message, naming the file.
    enum Failure: Error, Equatable {
        /// No such file (`ENOENT`, `ENOTDIR`).
        case missing
        case directory
        /// A FIFO, a device, a socket.
        case notRegular
        /// Larger than the limit: `size` is what `fstat` gave, nil when the
        /// file grew past the limit while being read.
        case tooLarge(size: Int?)
        /// Another failure of `open`, `fstat` or `read`, as `strerror` words it.
        case system(String)
    }

    /// The bytes of the regular file at `path`, at most `maxBytes` of them.
    ///
    /// Opened with `O_NONBLOCK`, so that a FIFO with no writer cannot block
    /// the open, then checked with `fstat` on that descriptor.
    static func contents(of path: String, maxBytes: Int) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .missing }
            throw Self.system(code)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.system(errno) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .directory
        default: throw .notRegular
        }
        guard info.st_size <= maxBytes else { throw .tooLarge(size: Int(info.st_size)) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while bytes.count <= maxBytes {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.system(errno)
            }
            bytes += chunk[0..<n]
        }
        guard bytes.count <= maxBytes else { throw .tooLarge(size: nil) }
        return bytes
    }

    private static func system(_ code: Int32) -> Failure {
        .system(String(cString: strerror(code)))
    }
}
