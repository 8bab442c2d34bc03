#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Unbuffered writes to a file descriptor, retrying short writes and EINTR.
///
/// Swift 6 rejects the C global `stderr` as not concurrency-safe, so the CLI
/// writes to descriptors 1 and 2 directly.
struct StandardStream: TextOutputStream, Sendable {
    let descriptor: Int32

    static let output = StandardStream(descriptor: 1)
    static let error = StandardStream(descriptor: 2)

    /// Whether the descriptor is a terminal.
    var isTerminal: Bool { isatty(self.descriptor) == 1 }

    mutating func write(_ string: String) {
        _ = try? self.writeAll(string)
    }

    /// Writes all of `string`.
    ///
    /// - Throws: ``BrokenPipe`` when the reader went away (`EPIPE`), or a
    ///   ``SystemError`` for any other failure.
    func writeAll(_ string: String) throws {
        var text = string
        try text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = systemWrite(self.descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE { throw BrokenPipe() }
                    throw SystemError(operation: "write", code: errno)
                }
                offset += n
            }
        }
    }
}

/// The reader of stdout went away; a normal end, not an error.
struct BrokenPipe: Error {}

@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafePointer<UInt8>, _ count: Int) -> Int {
    write(fd, buffer, count)
}
