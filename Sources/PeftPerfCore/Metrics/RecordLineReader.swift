#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a file descriptor's bytes into lines with constant memory.
///
/// One buffer of ``RecordEventParser/maxLineBytes`` plus a read chunk is
/// allocated once; lines are handed out as views into it, never copied. A line
/// longer than the limit is reported once, as an error for its line number,
/// and its bytes are skipped up to the next newline without being kept.
/// `\r\n` endings are accepted; a last line without a newline counts.
public enum RecordLineReader {
    /// Bytes asked of `read(2)` at a time.
    public static let chunkBytes = 256 * 1024

    /// Reading the input failed (not a bad line: the input itself).
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public let errno: Int32
        public var description: String { "cannot read input: \(String(cString: strerror(self.errno)))" }
    }

    /// What one line turned out to be before parsing.
    public enum Line {
        /// The line's bytes, without the terminator; valid only during the call.
        case bytes(UnsafeBufferPointer<UInt8>)
        /// The line was longer than the limit and was skipped.
        case tooLong
        /// No input arrived for `idleSeconds` (streams only); the number is
        /// that of the last line.
        case idle
    }

    /// Calls `body` with each line's 1-based number and bytes.
    ///
    /// - Parameters:
    ///   - fd: an open descriptor, read until end of file (or until `body` returns false).
    ///   - maxLineBytes: longest line kept.
    ///   - idleSeconds: when set, `body` also gets ``Line/idle`` each time
    ///     this long passes with no input, so a stream's reader can commit
    ///     what it holds while the writer is quiet.
    ///   - body: returns false to stop early.
    /// - Throws: ``ReadError`` when `read(2)` fails, or what `body` throws.
    public static func forEachLine(
        fd: Int32, maxLineBytes: Int = RecordEventParser.maxLineBytes, idleSeconds: Double? = nil,
        _ body: (Int, Line) throws -> Bool
    ) throws {
        let capacity = maxLineBytes + 2 + Self.chunkBytes
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var start = 0  // first byte of the current line
        var end = 0  // bytes in the buffer
        var scanned = 0  // bytes before this offset hold no newline
        var lineNumber = 0
        var discarding = false  // inside an over-long line
        var atEOF = false

        while true {
            // Hand out every complete line in the buffer.
            while scanned < end {
                let found = memchr(buffer + scanned, 0x0A, end - scanned)
                guard let found else {
                    scanned = end
                    break
                }
                let newline = buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if discarding {
                    discarding = false
                } else {
                    lineNumber += 1
                    var lineEnd = newline
                    if lineEnd > start, buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    let line: Line =
                        lineEnd - start > maxLineBytes
                        ? .tooLong : .bytes(UnsafeBufferPointer(start: buffer + start, count: lineEnd - start))
                    guard try body(lineNumber, line) else { return }
                }
                start = newline + 1
                scanned = start
            }
            if atEOF {
                if start < end, !discarding {
                    lineNumber += 1
                    var lineEnd = end
                    if buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    let line: Line =
                        lineEnd - start > maxLineBytes
                        ? .tooLong : .bytes(UnsafeBufferPointer(start: buffer + start, count: lineEnd - start))
                    _ = try body(lineNumber, line)
                }
                return
            }
            // The partial line is too long: report it now and drop its bytes.
            if !discarding, end - start > maxLineBytes + 1 {
                lineNumber += 1
                guard try body(lineNumber, .tooLong) else { return }
                discarding = true
            }
            if discarding {
                start = 0
                end = 0
                scanned = 0
            } else if start > 0 {
                // Move the partial line to the front.
                let pending = end - start
                if pending > 0 { memmove(buffer, buffer + start, pending) }
                scanned -= start
                end = pending
                start = 0
            }
            if let idleSeconds {
                var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, Int32(max(1, min(idleSeconds * 1000, 3_600_000))))
                if ready == 0 {
                    guard try body(lineNumber, .idle) else { return }
                    continue
                }
                if ready < 0, errno == EINTR {
                    if InterruptFlag.isRaised { return }
                    continue
                }
            }
            let want = min(Self.chunkBytes, capacity - end)
            var got: Int
            repeat {
                got = read(fd, buffer + end, want)
                // Ctrl-C interrupts a blocked read (no SA_RESTART): stop, the caller checks the flag.
                if got < 0, errno == EINTR, InterruptFlag.isRaised { return }
            } while got < 0 && errno == EINTR
            if got < 0 { throw ReadError(errno: errno) }
            if got == 0 {
                atEOF = true
            } else {
                end += got
            }
        }
    }
}
