#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import Synchronization

/// A server on 127.0.0.1 that answers every request with the same bytes,
/// any bytes (raw control characters, NUL, invalid UTF-8), and closes the
/// connection: for tests of what peft-perf shows of a server's answer.
///
/// It serves at most `limit` connections, each read with a 5 s timeout, so
/// a test can never hang on it.
final class CannedHTTPServer: Sendable {
    let port: Int
    private let listener: Int32
    private let done = Atomic<Bool>(false)

    var baseURL: String { "http://127.0.0.1:\(self.port)" }

    init(response: [UInt8], limit: Int = 16) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw TestSupportError("bind failed: errno \(errno)")
        }
        self.listener = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in self.serve(response: response, limit: limit) }
        thread.start()
    }

    deinit { self.stop() }

    func stop() {
        guard !self.done.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(self.listener, Int32(SHUT_RDWR))
        close(self.listener)
    }

    private func serve(response: [UInt8], limit: Int) {
        for _ in 0..<limit {
            let client = accept(self.listener, nil, nil)
            guard client >= 0 else { return }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            Self.readRequest(client)
            var offset = 0
            while offset < response.count {
                let n = response[offset...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                guard n > 0 else { break }
                offset += n
            }
            close(client)
        }
    }

    /// Reads the head, and the body its Content-Length announces unless the
    /// client waits for `100 Continue` (then it sends none before the answer).
    private static func readRequest(_ fd: Int32) {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var headEnd: Int? = nil
        var bodyLength = 0
        for _ in 0..<10_000 {
            if let end = headEnd, data.count >= end + bodyLength { return }
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return }
            data += buffer[0..<n]
            if headEnd == nil, let range = data.firstRange(of: Array("\r\n\r\n".utf8)) {
                headEnd = range.upperBound
                let head = String(decoding: data[..<range.lowerBound], as: UTF8.self).lowercased()
                if head.contains("expect: 100-continue") { return }
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    bodyLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
    }
}
