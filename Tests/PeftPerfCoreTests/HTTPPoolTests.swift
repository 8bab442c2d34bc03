import Foundation
import Synchronization
import Testing

@testable import PeftPerfCore

@Suite struct HTTPPoolTests {
    func makePool(_ tweak: (inout HTTPPoolConfiguration) -> Void = { _ in }) throws -> (
        HTTPConnectionPool, PerformanceMonitor
    ) {
        let monitor = PerformanceMonitor()
        var configuration = HTTPPoolConfiguration(workerThreads: 2)
        configuration.monitor = monitor
        configuration.client.timeoutSeconds = 5
        tweak(&configuration)
        return (try HTTPConnectionPool(configuration: configuration), monitor)
    }

    @Test func getReturnsStatusHeadersAndBody() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, monitor) = try makePool()
        let response = try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + "/anything")))
        #expect(response.status == 200)
        #expect(response.body.count == 100)
        #expect(response.header("content-length") == "100")
        #expect(response.httpVersion == "HTTP/1.1")
        #expect(response.timings.total > 0)
        #expect(response.timings.total >= response.timings.firstByte)
        #expect(monitor.snapshot().total.requests == 1)
    }

    @Test func keepAliveReusesConnections() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, monitor) = try makePool { $0.workerThreads = 1 }
        let url = try HTTPURL(server.baseURL + "/users/42")
        var reused = 0
        for _ in 0..<20 {
            let response = try pool.send(HTTPRequest(url: url))
            if response.reusedConnection { reused += 1 }
        }
        let stats = pool.statistics
        #expect(stats.requests == 20)
        #expect(stats.connectionsOpened == 1)
        #expect(stats.connectionsReused == 19)
        #expect(reused == 19)
        let snapshot = monitor.snapshot()
        #expect(snapshot.endpoints.map(\.endpoint) == ["GET \(server.baseURL)/users/:id"])
        #expect(snapshot.total.statusCodes == [200: 20])
    }

    @Test func closingServerForcesNewConnections() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, _) = try makePool { $0.workerThreads = 1 }
        let url = try HTTPURL(server.baseURL + "/close")
        for _ in 0..<5 { #expect(try pool.send(HTTPRequest(url: url)).status == 200) }
        #expect(pool.statistics.connectionsOpened == 5)
        #expect(pool.statistics.connectionsReused == 0)
    }

    @Test func methodsHeadersAndBodyReachTheServer() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, _) = try makePool()
        let url = try HTTPURL(server.baseURL + "/echo")
        for method in HTTPMethod.allCases {
            let request = HTTPRequest(
                method: method, url: url, headers: [try HTTPHeader(parsing: "X-Test: \(method.rawValue.lowercased())")],
                body: method == .get ? nil : Array("payload-\(method.rawValue)".utf8))
            let response = try pool.send(request)
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(text.hasPrefix("\(method.rawValue) /echo"), "\(method)")
            #expect(text.contains("X-Test: \(method.rawValue.lowercased())"))
            #expect(!text.contains("Expect:"))
            if method != .get { #expect(text.hasSuffix("payload-\(method.rawValue)")) }
        }
    }

    @Test func serverErrorIsAResponseButCountsAsError() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, monitor) = try makePool()
        let response = try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + "/status/500")))
        #expect(response.status == 500)
        let total = monitor.snapshot().total
        #expect(total.errors == 1)
        #expect(total.errorsByKind == ["http_5xx": 1])
    }

    @Test func resetIsAResetError() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, monitor) = try makePool()
        #expect {
            try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + "/reset")))
        } throws: { error in
            (error as? CurlError)?.kind == .reset
        }
        #expect(monitor.snapshot().total.errorsByKind == ["reset": 1])
    }

    @Test func stallPastTimeoutIsATimeout() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, _) = try makePool()
        let start = MonotonicClock.nanoseconds()
        #expect {
            try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + "/stall/5000"), timeoutSeconds: 0.3))
        } throws: { error in
            (error as? CurlError)?.kind == .timeout
        }
        #expect(MonotonicClock.seconds(since: start) < 4)
    }

    @Test func refusedConnectionIsAConnectError() throws {
        // Bind a port, then close it: nothing listens there any more.
        let server = try HTTPLoopbackServer(faults: .init())
        let url = try HTTPURL(server.baseURL + "/")
        server.stop()
        let (pool, _) = try makePool()
        #expect {
            try pool.send(HTTPRequest(url: url))
        } throws: { error in
            (error as? CurlError)?.kind == .connect
        }
    }

    @Test func responseSizeIsBoundedEvenWithoutContentLength() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, _) = try makePool { $0.client.maxResponseBytes = 10_000 }
        #expect(try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + "/bytes/5000"))).body.count == 5000)
        for path in ["/bytes/50000", "/chunked/50000"] {
            #expect {
                try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + path)))
            } throws: { error in
                guard let error = error as? CurlError else { return false }
                return error.kind == .tooLarge && error.description.contains("10000")
            }
        }
    }

    @Test func redirectsToOtherProtocolsAreRefused() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, _) = try makePool { $0.client.followRedirects = true }
        #expect(throws: CurlError.self) {
            try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + "/redirect-file")))
        }
    }

    @Test func environmentProxiesAreIgnored() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        setenv("http_proxy", "http://127.0.0.1:9", 1)
        setenv("all_proxy", "http://127.0.0.1:9", 1)
        defer {
            unsetenv("http_proxy")
            unsetenv("all_proxy")
        }
        let (pool, _) = try makePool()
        #expect(try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + "/"))).status == 200)
    }

    @Test func concurrentSubmissionsAllComplete() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, monitor) = try makePool { $0.maxConnectionsPerHost = 4 }
        let url = try HTTPURL(server.baseURL + "/")
        let done = DispatchSemaphore(value: 0)
        let count = 200
        for _ in 0..<count {
            pool.submit(HTTPRequest(url: url)) { _ in done.signal() }
        }
        for _ in 0..<count { done.wait() }
        let stats = pool.statistics
        #expect(stats.requests == count)
        #expect(stats.failures == 0)
        // 4 per host split over 2 workers: at most 4 connections.
        #expect(stats.connectionsOpened <= 4)
        #expect(stats.connectionsOpened + stats.connectionsReused == count)
        #expect(monitor.snapshot().total.requests == UInt64(count))
    }

    @Test func shutdownFailsLaterRequests() throws {
        let (pool, _) = try makePool()
        pool.shutdown()
        #expect(throws: CurlError.self) { try pool.send(HTTPRequest(url: try HTTPURL("http://127.0.0.1:1/"))) }
    }
}

@Suite struct HTTPURLTests {
    @Test func credentialsAreRedacted() throws {
        let url = try HTTPURL("http://alice:s3cret@127.0.0.1:8080/a?b=1")
        #expect(url.redacted == "http://127.0.0.1:8080/a?b=1")
        #expect(url.description == url.redacted)
        #expect(url.absoluteString.contains("s3cret"))
        #expect(url.secrets == ["alice", "s3cret"])
        #expect(url.host == "127.0.0.1")
        #expect(url.port == 8080)
        #expect(url.pathAndQuery == "/a?b=1")
    }

    @Test(arguments: ["", "not a url", "ftp://example.com/", "file:///etc/passwd", "http://", "://x", "http://a b/"])
    func malformedURLsAreRejected(text: String) {
        #expect(throws: HTTPURLError.self) { try HTTPURL(text) }
    }

    @Test func rejectionMessageHidesCredentials() {
        do {
            _ = try HTTPURL("ftp://bob:hunter2@host/")
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(error.description.contains("***@host"))
        }
    }
}

@Suite struct HTTPHeaderTests {
    @Test(arguments: [("X-A: b", "X-A", "b"), ("X-A:b", "X-A", "b"), ("Accept:  text/plain ", "Accept", "text/plain")])
    func parses(text: String, name: String, value: String) throws {
        let header = try HTTPHeader(parsing: text)
        #expect(header.name == name)
        #expect(header.value == value)
    }

    @Test(arguments: ["X-A", "X-A:", ": v", "X A: v", "X-A: a\r\nInjected: 1", " X-A: v"])
    func rejects(text: String) {
        #expect(throws: ValueParseError.self) { try HTTPHeader(parsing: text) }
    }

    @Test func authorizationIsRedacted() throws {
        let header = try HTTPHeader(parsing: "Authorization: Bearer abc")
        #expect(header.description == "Authorization: ***")
        #expect(header.isSensitive)
        do {
            _ = try HTTPHeader(parsing: "Authorization Bearer abc")
        } catch {
            #expect(!error.description.contains("abc"))
        }
    }
}

@Suite struct HTTPPoolQueueTests {
    @Test func waitForAFreeConnectionIsReportedAsQueueTime() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        var configuration = HTTPPoolConfiguration(workerThreads: 1)
        configuration.maxConnectionsPerHost = 1
        configuration.monitor = nil
        let pool = try HTTPConnectionPool(configuration: configuration)
        let url = try HTTPURL(server.baseURL + "/stall/200")
        let results = Mutex<[HTTPResponse]>([])
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<3 {
            pool.submit(HTTPRequest(url: url)) { result in
                if case .success(let response) = result { results.withLock { $0.append(response) } }
                done.signal()
            }
        }
        for _ in 0..<3 { done.wait() }
        let queues = results.withLock { $0.map(\.timings.queue) }.sorted()
        #expect(queues.count == 3)
        // One connection, 200 ms per request: the others waited ~200 and ~400 ms.
        #expect(queues[0] < 0.1)
        #expect(queues[1] > 0.15)
        #expect(queues[2] > 0.35)
        #expect(pool.statistics.connectionsOpened == 1)
    }
}
