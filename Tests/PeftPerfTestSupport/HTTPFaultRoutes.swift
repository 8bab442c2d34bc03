public import PeftPerfCore

/// The fault-injection routes of the loopback server, for tests only: the
/// product's ``HTTPLoopbackServer`` answers every request with its
/// configured body, and tests start it with these routes
/// (``HTTPLoopbackServer/init(faults:)``).
///
/// | path | behaviour |
/// |---|---|
/// | `/status/NNN` | answers status NNN |
/// | `/bytes/N` | N-byte body with Content-Length |
/// | `/chunked/N` | N-byte chunked body (length unknown in advance) |
/// | `/echo` | body = method, request headers and request body |
/// | `/close` | answers, then closes the connection |
/// | `/reset` | reads the request and resets the connection (RST) |
/// | `/stall/MS` | waits MS milliseconds, then answers |
/// | `/redirect-file` | 302 to a `file://` URL |
/// | `/slow/NNN/MS` | waits MS milliseconds, then answers status NNN |
/// | `/stall-headers/MS` | sends the status line and one header, stalls MS, then the rest |
/// | `/stall-body/MS` | sends the head and 10 of 100 body bytes, stalls MS, then the rest |
/// | `/reset-body` | sends the head and half the body, then resets (RST) |
/// | `/short-body` | promises 100 body bytes, sends 2, then closes (FIN) |
/// | `/malformed/KIND` | a broken reply, see ``malformedReplies`` |
/// | `/huge-header/N` | one `X-Huge` header line of N bytes |
/// | `/many-headers/N` | N header lines of about 1000 bytes each |
/// | `/close-after/N` | answers, and closes the connection after its Nth request without saying so |
/// | `/close-after/N/announced` | the same, with `Connection: close` on the Nth answer |
/// | anything else | left to the server: 200 with the configured body |
///
/// Every stall ends early when the server stops, so a test never waits on one.
public enum HTTPFaultRoutes {
    /// The broken replies of `/malformed/KIND`, each a complete byte sequence
    /// after which the server closes the connection.
    ///
    /// | KIND | fault |
    /// |---|---|
    /// | `status` | status line with a non-numeric code |
    /// | `http09` | no status line at all (an HTTP/0.9-style reply) |
    /// | `nocolon` | a header line without a colon |
    /// | `length` | `Content-Length: abc` |
    /// | `nul` | a NUL byte inside a header value |
    /// | `chunk` | chunked body with a size that is not hexadecimal |
    public static let malformedReplies: [String: [UInt8]] = [
        "status": Array("HTTP/1.1 abc Garbage\r\nContent-Length: 2\r\n\r\nok".utf8),
        "http09": Array("SOMETHING ELSE ENTIRELY\r\n\r\nok".utf8),
        "nocolon": Array("HTTP/1.1 200 OK\r\nThis is not a header\r\nContent-Length: 2\r\n\r\nok".utf8),
        "length": Array("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nok".utf8),
        "nul": Array("HTTP/1.1 200 OK\r\nX-Bad: a".utf8) + [0] + Array("b\r\nContent-Length: 2\r\n\r\nok".utf8),
        "chunk": Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n".utf8),
    ]

    /// Answers `exchange` if its path is a fault route: whether to keep the
    /// connection open; nil for any other path.
    @Sendable public static func respond(_ exchange: HTTPLoopbackServer.Exchange) -> Bool? {
        let parts = exchange.pathComponents
        let close = exchange.wantsClose
        func reply(_ status: Int, _ body: String, close: Bool = close) -> [UInt8] {
            HTTPLoopbackServer.response(status: status, body: Array(body.utf8), close: close)
        }
        switch (parts.first, parts.count) {
        case ("status"?, 2):
            let status = Int(parts[1]) ?? 500
            return exchange.write(reply(status, "status \(status)\n")) && !close
        case ("bytes"?, 2):
            let count = min(Int(parts[1]) ?? 0, 256 << 20)
            return exchange.write(
                HTTPLoopbackServer.response(status: 200, body: [UInt8](repeating: 0x62, count: count), close: close))
                && !close
        case ("chunked"?, 2):
            return self.chunked(count: min(Int(parts[1]) ?? 0, 256 << 20), exchange) && !close
        case ("echo"?, 1):
            var body = Array("\(exchange.method) \(exchange.path)\n".utf8)
            for header in exchange.headers { body += Array(header.utf8) + [10] }
            body += [10] + exchange.body
            return exchange.write(HTTPLoopbackServer.response(status: 200, body: body, close: close)) && !close
        case ("close"?, 1):
            _ = exchange.write(reply(200, "closing\n", close: true))
            return false
        case ("reset"?, 1):
            exchange.resetOnClose()
            return false
        case ("stall"?, 2):
            exchange.sleep(milliseconds: Int(parts[1]) ?? 1000)
            return exchange.write(reply(200, "late\n")) && !close
        case ("redirect-file"?, 1):
            return exchange.write(
                Array("HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n".utf8))
        case ("slow"?, 3):
            let status = Int(parts[1]) ?? 503
            exchange.sleep(milliseconds: Int(parts[2]) ?? 1000)
            return exchange.write(reply(status, "slow \(status)\n")) && !close
        default:
            return self.respondBroken(exchange)
        }
    }

    /// `/chunked/N`: written in pieces of at most 256 KiB.
    static func chunked(count: Int, _ exchange: HTTPLoopbackServer.Exchange) -> Bool {
        var head = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n".utf8)
        var remaining = count
        let piece = 16 * 1024
        while remaining > 0 {
            let n = min(piece, remaining)
            head += Array((String(n, radix: 16) + "\r\n").utf8) + [UInt8](repeating: 0x63, count: n) + [13, 10]
            remaining -= n
            if head.count > 256 * 1024 {
                guard exchange.write(head) else { return false }
                head.removeAll(keepingCapacity: true)
            }
        }
        head += Array("0\r\n\r\n".utf8)
        return exchange.write(head)
    }

    /// The partial, broken, oversized and closing replies (see the route table).
    static func respondBroken(_ exchange: HTTPLoopbackServer.Exchange) -> Bool? {
        let parts = exchange.pathComponents
        let close = exchange.wantsClose
        let body100 = [UInt8](repeating: UInt8(ascii: "p"), count: 100)
        let head100 = Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: text/plain\r\n\r\n".utf8)
        switch (parts.first, parts.count) {
        case ("stall-headers"?, 2):
            guard exchange.write(Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n".utf8)) else { return false }
            exchange.sleep(milliseconds: Int(parts[1]) ?? 1000)
            return exchange.write(Array("Content-Length: 100\r\n\r\n".utf8) + body100) && !close
        case ("stall-body"?, 2):
            guard exchange.write(head100 + body100[0..<10]) else { return false }
            exchange.sleep(milliseconds: Int(parts[1]) ?? 1000)
            return exchange.write(Array(body100[10...])) && !close
        case ("reset-body"?, 1):
            _ = exchange.write(head100 + body100[0..<50])
            // Give the client the partial reply before the RST discards it.
            exchange.sleep(milliseconds: 20)
            exchange.resetOnClose()
            return false
        case ("short-body"?, 1):
            _ = exchange.write(head100 + body100[0..<2])
            return false
        case ("malformed"?, 2):
            _ = exchange.write(self.malformedReplies[parts[1]] ?? self.malformedReplies["status"] ?? [])
            return false
        case ("huge-header"?, 2):
            let size = min(max(Int(parts[1]) ?? 0, 0), 64 << 20)
            var reply = Array("HTTP/1.1 200 OK\r\nX-Huge: ".utf8)
            reply += [UInt8](repeating: UInt8(ascii: "h"), count: size)
            reply += Array("\r\nContent-Length: 2\r\n\r\nok".utf8)
            return exchange.write(reply) && !close
        case ("many-headers"?, 2):
            let count = min(max(Int(parts[1]) ?? 0, 0), 100_000)
            var reply = Array("HTTP/1.1 200 OK\r\n".utf8)
            let value = String(repeating: "m", count: 990)
            for index in 0..<count { reply += Array("X-Many-\(index): \(value)\r\n".utf8) }
            reply += Array("Content-Length: 2\r\n\r\nok".utf8)
            return exchange.write(reply) && !close
        case ("close-after"?, 2), ("close-after"?, 3):
            let limit = max(1, Int(parts[1]) ?? 1)
            let served = exchange.servedOnConnection
            let last = served >= limit
            let announced = parts.count == 3 && parts[2] == "announced"
            let body = Array("request \(served) on this connection\n".utf8)
            let written = exchange.write(
                HTTPLoopbackServer.response(status: 200, body: body, close: close || (last && announced)))
            return written && !close && !last
        default:
            return nil
        }
    }
}

extension HTTPLoopbackServer {
    /// A loopback server that also serves the fault routes (``HTTPFaultRoutes``).
    public convenience init(faults configuration: Configuration = Configuration()) throws {
        var configuration = configuration
        configuration.route = HTTPFaultRoutes.respond
        try self.init(configuration: configuration)
    }

    /// ``HTTPFaultRoutes/malformedReplies``.
    public static var malformedReplies: [String: [UInt8]] { HTTPFaultRoutes.malformedReplies }
}
