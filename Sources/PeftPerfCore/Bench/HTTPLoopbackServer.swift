#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// A small keep-alive HTTP/1.1 server on 127.0.0.1 with an ephemeral port.
///
/// It is `bench`'s built-in target for the default suite and the server the
/// tests start for themselves. One thread accepts; each connection gets its
/// own thread with blocking I/O. It answers every request with 200 and the
/// configured body, keeping the connection open unless the client asked to
/// close it: `bench`'s built-in target only ever requests `/`.
///
/// ``Configuration/route`` is the extension point for more: the test support
/// adds its fault-injection routes through it (`HTTPFaultRoutes` in
/// `PeftPerfTestSupport`), so that no test-only route ships in the product.
///
/// ``Configuration/pauseOnce`` makes the whole server stall once, as a GC
/// pause would: every response is held back until the pause ends.
public final class HTTPLoopbackServer: Sendable {
    public struct Configuration: Sendable {
        /// Size of the default body, in bytes (default 100).
        public var bodyBytes: Int = 100
        /// After this many requests, hold every response back for `seconds`, once.
        public var pauseOnce: (afterRequests: Int, seconds: Double)? = nil
        /// Keep the last this many requests (method, path, body) for tests to inspect.
        public var keepRequests: Int = 0
        /// Answers a request itself and says whether to keep the connection
        /// open, or returns nil to leave it to the server's default answer.
        public var route: (@Sendable (Exchange) -> Bool?)? = nil
        public init() {}
    }

    /// The port the server listens on.
    public let port: Int
    private let listener: Int32
    private let configuration: Configuration
    private let defaultResponse: [UInt8]
    private let defaultBody: [UInt8]
    private let state = Mutex(ServerState())
    private let requestCount = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// Monotonic nanoseconds until which responses are held (0: no pause).
    private let pausedUntil = Atomic<UInt64>(0)
    private let liveHandlers = Atomic<Int>(0)

    struct ServerState {
        var connections: Set<Int32> = []
        var acceptThread: PosixThread?
        var kept: [ReceivedRequest] = []
    }

    /// A request the server received (with ``Configuration/keepRequests``).
    public struct ReceivedRequest: Sendable, Equatable {
        public let method: String
        public let path: String
        public let headers: [String]
        public let body: [UInt8]
    }

    /// The last requests received, oldest first (see ``Configuration/keepRequests``).
    public var receivedRequests: [ReceivedRequest] { self.state.withLock { $0.kept } }

    /// Base URL, `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(self.port)" }

    /// Requests answered (or reset) so far.
    public var requestsServed: Int { self.requestCount.load(ordering: .relaxed) }

    /// Starts listening and accepting on a background thread.
    /// - Throws: ``SocketError`` with the failing socket call, or
    ///   ``ThreadError`` when the accept thread cannot start.
    public init(configuration: Configuration = Configuration()) throws {
        self.configuration = configuration
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: max(0, configuration.bodyBytes))
        self.defaultBody = body
        self.defaultResponse = Self.response(status: 200, body: body, close: false)
        let fd = socket(AF_INET, Self.streamType, 0)
        guard fd >= 0 else { throw SocketError.fromErrno("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 1024) == 0 else {
            let error = SocketError.fromErrno("bind/listen")
            close(fd)
            throw error
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = fd
        let thread = try PosixThread(name: "peft-srv-accept") { [self] in self.acceptLoop() }
        self.state.withLock { $0.acceptThread = thread }
    }

    deinit {
        self.stop()
    }

    /// Stops accepting, closes every connection and waits (up to 2 s) for
    /// the connection threads to finish. Idempotent.
    public func stop() {
        guard !self.stopping.exchange(true, ordering: .relaxed) else { return }
        shutdown(self.listener, Int32(SHUT_RDWR))
        let thread = self.state.withLock { state -> PosixThread? in
            for fd in state.connections { shutdown(fd, Int32(SHUT_RDWR)) }
            defer { state.acceptThread = nil }
            return state.acceptThread
        }
        thread?.join()
        close(self.listener)
        let deadline = MonotonicClock.nanoseconds() + 2_000_000_000
        while self.liveHandlers.load(ordering: .relaxed) > 0, MonotonicClock.nanoseconds() < deadline {
            usleep(1000)
        }
    }

    // MARK: Internals

    #if canImport(Glibc)
        static let streamType = Int32(SOCK_STREAM.rawValue)
    #else
        static let streamType = SOCK_STREAM
    #endif

    private func acceptLoop() {
        while !self.stopping.load(ordering: .relaxed) {
            let fd = accept(self.listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                return
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let admitted = self.state.withLock { state -> Bool in
                guard !self.stopping.load(ordering: .relaxed) else { return false }
                state.connections.insert(fd)
                return true
            }
            guard admitted else {
                close(fd)
                return
            }
            self.liveHandlers.add(1, ordering: .relaxed)
            do {
                try PosixThread.detached(name: "peft-srv-conn") { [self] in
                    self.serve(fd)
                    self.lingeringClose(fd)
                    self.state.withLock { _ = $0.connections.remove(fd) }
                    close(fd)
                    self.liveHandlers.subtract(1, ordering: .relaxed)
                }
            } catch {
                self.state.withLock { _ = $0.connections.remove(fd) }
                close(fd)
                self.liveHandlers.subtract(1, ordering: .relaxed)
            }
        }
    }

    struct Request {
        var method: Substring
        var path: Substring
        var headers: [Substring]
        var body: [UInt8]
        var wantsClose: Bool
    }

    /// Serves one connection until the peer closes or a route closes it.
    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var servedOnConnection = 0
        while !self.stopping.load(ordering: .relaxed) {
            // Read until a complete request is buffered.
            var request: Request? = nil
            while request == nil {
                if let (parsed, consumed) = Self.parse(buffer) {
                    request = parsed
                    buffer.removeFirst(consumed)
                    break
                }
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { return }
                buffer.append(contentsOf: chunk[0..<n])
                if buffer.count > 1 << 20 { return }
            }
            guard let request else { return }
            let served = self.requestCount.add(1, ordering: .relaxed).newValue
            if self.configuration.keepRequests > 0 {
                let received = ReceivedRequest(
                    method: String(request.method), path: String(request.path),
                    headers: request.headers.map(String.init),
                    body: request.body)
                let limit = self.configuration.keepRequests
                self.state.withLock { state in
                    state.kept.append(received)
                    if state.kept.count > limit { state.kept.removeFirst(state.kept.count - limit) }
                }
            }
            if let pause = self.configuration.pauseOnce, served == pause.afterRequests {
                self.pausedUntil.store(
                    TimeArithmetic.deadline(after: pause.seconds, from: MonotonicClock.nanoseconds()),
                    ordering: .relaxed)
            }
            self.waitWhilePaused()
            servedOnConnection += 1
            guard self.respond(to: request, on: fd, servedOnConnection: servedOnConnection) else { return }
        }
    }

    private func waitWhilePaused() {
        while !self.stopping.load(ordering: .relaxed) {
            let until = self.pausedUntil.load(ordering: .relaxed)
            let now = MonotonicClock.nanoseconds()
            guard until > now else { return }
            usleep(UInt32(min(10_000, (until - now) / 1000 + 1)))
        }
    }

    func sleepMilliseconds(_ ms: Int) {
        let deadline = MonotonicClock.nanoseconds() + UInt64(max(0, ms)) * 1_000_000
        while !self.stopping.load(ordering: .relaxed), MonotonicClock.nanoseconds() < deadline {
            usleep(5000)
        }
    }

    /// Writes the response; false when the connection must close.
    /// `servedOnConnection` counts this request (1 for the first on the connection).
    private func respond(to request: Request, on fd: Int32, servedOnConnection: Int) -> Bool {
        if let route = self.configuration.route {
            let path = request.path.split(separator: "?", maxSplits: 1).first ?? ""
            let exchange = Exchange(
                method: String(request.method), path: String(request.path),
                pathComponents: path.split(separator: "/").map(String.init), headers: request.headers.map(String.init),
                body: request.body, wantsClose: request.wantsClose, servedOnConnection: servedOnConnection,
                server: self, fd: fd)
            if let keepOpen = route(exchange) { return keepOpen }
        }
        if request.wantsClose {
            // The client asked to close: answer with Connection: close, then close.
            _ = self.write(Self.response(status: 200, body: self.defaultBody, close: true), fd)
            return false
        }
        return self.write(self.defaultResponse, fd)
    }

    /// Ends a connection as real servers do (nginx's `lingering_close`):
    /// FIN first, then whatever the client had already sent is read and
    /// dropped, for at most half a second, before the socket is closed.
    ///
    /// Closing a socket with unread input sends RST, and a client that had
    /// just reused the connection would then see a reset instead of the end
    /// of a connection it may retry on. A connection set to reset
    /// (``setResetOnClose(_:)``) is left to reset.
    private func lingeringClose(_ fd: Int32) {
        var current = linger()
        var size = socklen_t(MemoryLayout<linger>.size)
        if getsockopt(fd, SOL_SOCKET, SO_LINGER, &current, &size) == 0, current.l_onoff != 0, current.l_linger == 0 {
            return
        }
        guard shutdown(fd, Int32(SHUT_WR)) == 0 else { return }
        let deadline = TimeArithmetic.deadline(after: 0.5, from: MonotonicClock.nanoseconds())
        var scratch = [UInt8](repeating: 0, count: 4096)
        while !self.stopping.load(ordering: .relaxed) {
            let now = MonotonicClock.nanoseconds()
            guard now < deadline else { return }
            var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&waiting, 1, Int32(min(50, (deadline - now) / 1_000_000 + 1)))
            if ready < 0 && errno != EINTR { return }
            guard ready > 0 else { continue }
            let n = scratch.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN) { return }
        }
    }

    /// SO_LINGER with a zero timeout makes the coming close() send RST instead of FIN.
    static func setResetOnClose(_ fd: Int32) {
        var lingerOption = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lingerOption, socklen_t(MemoryLayout<linger>.size))
    }

    func write(_ bytes: [UInt8], _ fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 {
                if n < 0, errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 302: "Found"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }

    /// A complete response with `Content-Length`, and `Connection: close` when `close`.
    public static func response(status: Int, body: [UInt8], close: Bool) -> [UInt8] {
        var head =
            "HTTP/1.1 \(status) \(reason(status))\r\nContent-Length: \(body.count)\r\nContent-Type: text/plain\r\n"
        if close { head += "Connection: close\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }

    /// Parses one request from the start of `buffer`; nil until it is complete.
    static func parse(_ buffer: [UInt8]) -> (Request, Int)? {
        guard buffer.count >= 4 else { return nil }
        var end = -1
        var index = 3
        while index < buffer.count {
            if buffer[index] == 10, buffer[index - 1] == 13, buffer[index - 2] == 10, buffer[index - 3] == 13 {
                end = index + 1
                break
            }
            index += 1
        }
        guard end > 0 else { return nil }
        let head = String(decoding: buffer[0..<(end - 4)], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines.first?.split(separator: " ") ?? []
        let method = requestLine.count > 0 ? requestLine[0] : ""
        let path = requestLine.count > 1 ? requestLine[1] : "/"
        var headers: [Substring] = []
        var length = 0
        var wantsClose = false
        for line in lines.dropFirst() where !line.isEmpty {
            headers.append(line)
            let lower = line.lowercased()
            if lower.hasPrefix("content-length:") {
                length = Int(lower.dropFirst("content-length:".count).trimmingASCIIWhitespace()) ?? 0
            } else if lower.hasPrefix("connection:"), lower.contains("close") {
                wantsClose = true
            }
        }
        guard buffer.count >= end + length else { return nil }
        let body = Array(buffer[end..<(end + length)])
        return (Request(method: method, path: path, headers: headers, body: body, wantsClose: wantsClose), end + length)
    }
}
