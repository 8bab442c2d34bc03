/// What an HTTP bench run does: targets, load shape and transfer settings.
public struct HTTPBenchConfiguration: Sendable {
    /// URLs to load; connections are spread over them round-robin.
    public var targets: [HTTPURL]
    public var method: HTTPMethod = .get
    public var headers: [HTTPHeader] = []
    public var body: [UInt8]? = nil
    /// Connections kept busy (`-c`), exactly; overrides the pool's per-host default.
    public var connections: Int = 64
    /// Worker threads, each with its own multi handle (`-t`).
    public var threads: Int = 2
    /// Measuring time in seconds; nil with ``requests`` set means "until done".
    public var durationSeconds: Double? = 5
    /// Stop after this many requests (`--requests`), split evenly over the
    /// targets (the first ones get one more when it does not divide).
    public var requests: Int? = nil
    /// Open loop: requests per second in total (`--rate`); nil for a closed loop.
    public var rate: Double? = nil
    /// Unmeasured warm-up before the measurement starts (`--warmup`).
    public var warmupSeconds: Double = 0
    /// Open a fresh connection for every request (the `--compare-pool` baseline).
    public var freshConnections = false
    /// Timeout, TLS, proxy, HTTP version and size bound.
    public var client = HTTPClientOptions()
    /// Called about every `progressInterval` seconds from a worker thread.
    public var progress: (@Sendable (HTTPBenchProgress) -> Void)? = nil
    public var progressIntervalSeconds: Double = 1
    /// Polled by the workers; true stops the run early with partial results.
    /// Defaults to Ctrl-C (``InterruptFlag/isRaised``); tests pass their own.
    public var shouldStop: @Sendable () -> Bool = { InterruptFlag.isRaised }

    public init(targets: [HTTPURL]) {
        self.targets = targets
    }

    /// When a run that starts at `start` (monotonic nanoseconds) ends its
    /// warm-up, and its deadline (nil when only the request count bounds it).
    /// Saturates: a duration too long for the clock never ends rather than
    /// trapping.
    public func schedule(startingAt start: UInt64) -> (warmupEnd: UInt64, deadline: UInt64?) {
        let warmupEnd = TimeArithmetic.deadline(after: self.warmupSeconds, from: start)
        return (warmupEnd, self.durationSeconds.map { TimeArithmetic.deadline(after: $0, from: warmupEnd) })
    }

    /// Checks the load shape.
    /// - Throws: ``ValueParseError`` describing the first problem.
    public func validate() throws(ValueParseError) {
        if self.targets.isEmpty { throw ValueParseError("no URL to benchmark") }
        if self.connections < 1 { throw ValueParseError("-c/--concurrency must be at least 1") }
        if self.threads < 1 { throw ValueParseError("--threads must be at least 1") }
        if self.connections < self.targets.count {
            throw ValueParseError(
                "-c/--concurrency \(self.connections) is less than the \(self.targets.count) URLs: each URL needs a connection"
            )
        }
        if let rate = self.rate, !(rate > 0 && rate.isFinite) {
            throw ValueParseError("--rate must be a positive number")
        }
        if let requests = self.requests, requests < 1 { throw ValueParseError("--requests must be at least 1") }
        if let duration = self.durationSeconds, !(duration > 0 && duration.isFinite) {
            throw ValueParseError("--duration must be positive")
        }
        if self.durationSeconds == nil, self.requests == nil {
            throw ValueParseError("give --duration or --requests")
        }
    }

    /// Threads actually used: never more than connections.
    var effectiveThreads: Int { max(1, min(self.threads, self.connections)) }
}

/// Progress figures passed to ``HTTPBenchConfiguration/progress``.
public struct HTTPBenchProgress: Sendable {
    public var elapsedSeconds: Double
    public var requests: Int
    public var errors: Int
    public var warmingUp: Bool
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HTTPBenchConfiguration {
    /// Reads a request body file (`--data @FILE`), at most `limit` bytes.
    /// - Returns: nil when the file cannot be opened, read, or is larger than `limit`.
    public static func readBodyFile(path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit { return nil }
        }
    }
}
