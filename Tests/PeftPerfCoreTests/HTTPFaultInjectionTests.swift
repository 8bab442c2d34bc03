import Foundation
import Synchronization
import Testing

@testable import PeftPerfCore

/// Bad HTTP targets against the connection pool and the bench engine: every
/// failure lands in the right ``RequestErrorKind``, time budgets hold, and
/// nothing hangs or crashes. The faults come from ``HTTPLoopbackServer``'s
/// fault routes. Time bounds are 10x or more what the run needs, so that a
/// loaded two-core machine never makes them flake; they catch hangs, not
/// slowness.
@Suite struct HTTPFaultInjectionTests {
    func makePool(timeout: Double = 5, _ tweak: (inout HTTPPoolConfiguration) -> Void = { _ in }) throws -> (
        HTTPConnectionPool, PerformanceMonitor
    ) {
        let monitor = PerformanceMonitor()
        var configuration = HTTPPoolConfiguration(workerThreads: 1)
        configuration.monitor = monitor
        configuration.client.timeoutSeconds = timeout
        tweak(&configuration)
        return (try HTTPConnectionPool(configuration: configuration), monitor)
    }

    /// Sends one request that must fail, and returns its error.
    func failure(_ pool: HTTPConnectionPool, _ url: String) throws -> CurlError {
        let request = HTTPRequest(url: try HTTPURL(url))
        do {
            let response = try pool.send(request)
            Issue.record("expected \(url) to fail, got status \(response.status)")
            return CurlError(code: 0, interface: .easy, message: "no error")
        } catch {
            return error
        }
    }

    /// The product's server has no fault route: every path, fault routes
    /// included, gets 200 and the configured body, on a connection kept open.
    @Test func theProductServerAnswersEveryPathWithItsBody() throws {
        let server = try HTTPLoopbackServer()
        defer { server.stop() }
        let (pool, _) = try self.makePool()
        for path in ["/", "/status/500", "/reset", "/malformed/status", "/close", "/stall/30000", "/bytes/5"] {
            let response = try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + path)))
            #expect(response.status == 200, "\(path)")
            #expect(response.body.count == 100, "\(path)")
        }
    }

    // MARK: Stalls

    @Test(arguments: ["/stall-headers/30000", "/stall-body/30000"])
    func stallPastTheTimeoutIsATimeoutWithinBudget(path: String) throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, monitor) = try makePool(timeout: 0.5)
        let start = MonotonicClock.nanoseconds()
        let error = try failure(pool, server.baseURL + path)
        let elapsed = MonotonicClock.seconds(since: start)
        #expect(error.kind == .timeout, "\(error)")
        #expect(elapsed >= 0.4)
        #expect(elapsed < 10, "a 0.5 s timeout took \(elapsed) s")
        #expect(monitor.snapshot().total.errorsByKind == ["timeout": 1])
    }

    @Test(arguments: ["/stall-headers/150", "/stall-body/150"])
    func stallWithinTheTimeoutCompletes(path: String) throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, monitor) = try makePool()
        let response = try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + path)))
        #expect(response.status == 200)
        #expect(response.body.count == 100)
        #expect(monitor.snapshot().total.errors == 0)
    }

    // MARK: Cut-off replies

    @Test func resetInTheMiddleOfTheBodyIsAReset() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, monitor) = try makePool()
        #expect(try failure(pool, server.baseURL + "/reset-body").kind == .reset)
        #expect(monitor.snapshot().total.errorsByKind == ["reset": 1])
    }

    @Test func closeBeforeTheWholeBodyIsAReset() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, _) = try makePool()
        let error = try failure(pool, server.baseURL + "/short-body")
        #expect(error.kind == .reset)
        #expect(error.description.contains("remaining"), "\(error)")
    }

    // MARK: Malformed replies

    @Test(arguments: HTTPLoopbackServer.malformedReplies.keys.sorted())
    func malformedReplyIsAProtocolErrorAndThePoolRecovers(kind: String) throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, monitor) = try makePool()
        let error = try failure(pool, server.baseURL + "/malformed/" + kind)
        #expect(error.kind == .protocol, "\(kind): \(error)")
        #expect(monitor.snapshot().total.errorsByKind == ["protocol": 1])
        // The broken connection is not reused for the next request.
        #expect(try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + "/"))).status == 200)
    }

    // MARK: Huge replies

    @Test func oneMebibyteHeaderIsTooLargeNotOutOfMemory() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, monitor) = try makePool()
        let error = try failure(pool, server.baseURL + "/huge-header/\(1 << 20)")
        #expect(error.kind == .tooLarge, "\(error)")
        #expect(!error.description.lowercased().contains("out of memory"), "\(error)")
        #expect(monitor.snapshot().total.errorsByKind == ["too_large": 1])
    }

    @Test func manyHeadersOverLibcurlsTotalBoundAreTooLarge() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, _) = try makePool()
        // 400 lines of ~1000 bytes: over libcurl's 300 KiB for all headers.
        let error = try failure(pool, server.baseURL + "/many-headers/400")
        #expect(error.kind == .tooLarge, "\(error)")
    }

    @Test func largeHeaderUnderTheBoundsIsAccepted() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, _) = try makePool()
        let response = try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + "/huge-header/50000")))
        #expect(response.status == 200)
        #expect(response.header("x-huge")?.utf8.count == 50000)
    }

    @Test func bodyOverTheDefault64MiBBoundIsTooLarge() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, _) = try makePool(timeout: 60)
        #expect(pool.configuration.client.maxResponseBytes == 64 << 20)
        // Chunked, so the size is unknown until it has been read.
        let error = try failure(pool, server.baseURL + "/chunked/\((64 << 20) + 1)")
        #expect(error.kind == .tooLarge, "\(error)")
        #expect(error.description.contains("\(64 << 20)"))
    }

    // MARK: Keep-alive closed by the server

    @Test func serverClosingKeepAliveAfterNRequestsLosesNoRequest() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        for path in ["/close-after/5", "/close-after/5/announced"] {
            let (pool, monitor) = try makePool()
            let url = try HTTPURL(server.baseURL + path)
            for index in 0..<20 {
                let response = try pool.send(HTTPRequest(url: url))
                #expect(response.status == 200, "\(path) request \(index)")
            }
            let stats = pool.statistics
            #expect(stats.requests == 20)
            #expect(stats.failures == 0)
            // 5 requests a connection; a silent close may cost libcurl a
            // retry on a fresh connection, never a failed request.
            #expect(stats.connectionsOpened >= 4, "\(path)")
            #expect(stats.connectionsOpened <= 8, "\(path): \(stats.connectionsOpened) connections")
            if path.hasSuffix("announced") { #expect(stats.connectionsOpened == 4) }
            #expect(monitor.snapshot().total.errors == 0)
        }
    }

    // MARK: Slow 5xx

    @Test func slowServerErrorIsAnHTTP5xxResponse() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, monitor) = try makePool()
        let response = try pool.send(HTTPRequest(url: try HTTPURL(server.baseURL + "/slow/503/200")))
        #expect(response.status == 503)
        #expect(response.timings.total >= 0.15)
        #expect(monitor.snapshot().total.errorsByKind == ["http_5xx": 1])
    }

    @Test func slowServerErrorPastTheTimeoutIsATimeout() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let (pool, monitor) = try makePool(timeout: 0.3)
        let start = MonotonicClock.nanoseconds()
        #expect(try failure(pool, server.baseURL + "/slow/500/30000").kind == .timeout)
        #expect(MonotonicClock.seconds(since: start) < 10)
        #expect(monitor.snapshot().total.errorsByKind == ["timeout": 1])
    }

    // MARK: Everything at once

    /// Every fault at once through one pool: each request completes, and
    /// each kind's count is exactly the number of requests sent to it.
    @Test func concurrentFaultsAreEachCountedInTheirKind() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        // Enough connections that no request waits behind a stalled one:
        // libcurl's timeout also runs while a transfer waits for a connection.
        let (pool, monitor) = try makePool(timeout: 2) {
            $0.workerThreads = 2
            $0.maxConnections = 128
            $0.maxConnectionsPerHost = 128
        }
        let plan: [(path: String, kind: String)] = [
            ("/reset", "reset"), ("/reset-body", "reset"), ("/short-body", "reset"),
            ("/malformed/status", "protocol"), ("/malformed/nocolon", "protocol"), ("/malformed/chunk", "protocol"),
            ("/huge-header/\(1 << 20)", "too_large"), ("/many-headers/400", "too_large"),
            ("/stall-headers/30000", "timeout"), ("/stall-body/30000", "timeout"),
            ("/slow/502/50", "http_5xx"), ("/status/500", "http_5xx"),
            ("/", "ok"), ("/close-after/2", "ok"),
        ]
        let perPath = 4
        let done = DispatchSemaphore(value: 0)
        let start = MonotonicClock.nanoseconds()
        for _ in 0..<perPath {
            for entry in plan {
                pool.submit(HTTPRequest(url: try HTTPURL(server.baseURL + entry.path))) { _ in done.signal() }
            }
        }
        for _ in 0..<(plan.count * perPath) {
            #expect(done.wait(timeout: .now() + 60) == .success)
        }
        #expect(MonotonicClock.seconds(since: start) < 60)
        var expected: [String: UInt64] = [:]
        for entry in plan where entry.kind != "ok" { expected[entry.kind, default: 0] += UInt64(perPath) }
        let total = monitor.snapshot().total
        #expect(total.requests == UInt64(plan.count * perPath))
        #expect(total.errorsByKind == expected)
        #expect(pool.statistics.requests == plan.count * perPath)
    }

    /// The same faults through the bench engine, one target each: per
    /// target, every request is in the expected kind and the counts add up.
    @Test func benchEngineCountsEachFaultInItsKind() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let plan: [(path: String, kind: String)] = [
            ("/reset-body", "reset"), ("/short-body", "reset"), ("/malformed/status", "protocol"),
            ("/malformed/length", "protocol"), ("/huge-header/\(1 << 20)", "too_large"),
            ("/many-headers/400", "too_large"), ("/slow/503/20", "http_5xx"),
        ]
        var configuration = HTTPBenchConfiguration(
            targets: try plan.map { try HTTPURL(server.baseURL + $0.path) })
        configuration.connections = plan.count
        configuration.threads = 2
        configuration.durationSeconds = nil
        configuration.requests = plan.count * 6
        configuration.client.timeoutSeconds = 5
        let start = MonotonicClock.nanoseconds()
        let result = try HTTPBenchEngine.run(configuration)
        #expect(MonotonicClock.seconds(since: start) < 60)
        #expect(result.total.requests == plan.count * 6)
        for (entry, stats) in zip(plan, result.targets) {
            #expect(stats.requests > 0, "\(entry.path)")
            #expect(stats.errors == stats.requests, "\(entry.path)")
            #expect(stats.errorsByKind[entry.kind] == stats.requests, "\(entry.path): \(stats.errorsByKind)")
            #expect(stats.successes == 0)
        }
        #expect(result.total.errors == result.total.requests)
    }

    /// A fast target beside a failing or slow one must not take the whole
    /// `--requests` budget: each target gets its share, so a faulty URL is
    /// always measured (and an `errors==0` check sees its failures).
    @Test(arguments: [nil, 400.0])
    func requestBudgetIsSplitEvenlyOverTargets(rate: Double?) throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let paths = ["/", "/slow/200/30", "/malformed/status"]
        var configuration = HTTPBenchConfiguration(targets: try paths.map { try HTTPURL(server.baseURL + $0) })
        configuration.connections = 4
        configuration.threads = 2
        configuration.durationSeconds = nil
        configuration.requests = 31
        configuration.rate = rate
        configuration.client.timeoutSeconds = 5
        let result = try HTTPBenchEngine.run(configuration)
        #expect(result.targets.map(\.requests) == [11, 10, 10], "\(rate.map { "rate \($0)" } ?? "closed loop")")
        #expect(result.targets[2].errorsByKind["protocol"] == 10)
        #expect(result.total.requests == 31)
    }

    @Test func benchStallsEndAtTheDeadlineEvenWithoutATimeout() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        var configuration = HTTPBenchConfiguration(targets: [
            try HTTPURL(server.baseURL + "/stall-headers/60000"), try HTTPURL(server.baseURL + "/stall-body/60000"),
        ])
        configuration.connections = 2
        configuration.threads = 1
        configuration.durationSeconds = 0.5
        configuration.client.timeoutSeconds = 0  // none: only the run's deadline ends the stalls
        let start = MonotonicClock.nanoseconds()
        let result = try HTTPBenchEngine.run(configuration)
        let elapsed = MonotonicClock.seconds(since: start)
        #expect(elapsed < 10, "a 0.5 s run took \(elapsed) s")
        #expect(result.total.requests == 0)
        #expect(result.total.inFlightAtEnd == 2)
    }
}
