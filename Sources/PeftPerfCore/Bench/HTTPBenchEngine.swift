#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// Generates HTTP load with libcurl's multi interface and measures it.
///
/// Each of `threads` workers drives its own multi handle (its own connection
/// cache) with a `curl_multi_perform` + `curl_multi_poll` loop over its share
/// of the `connections` easy handles; only DNS and TLS sessions are shared, and
/// only when there is a name to resolve or TLS to set up (``sharesLookups(_:threads:)``).
/// In a closed loop every connection sends its next request as soon as the
/// previous one completes. With a rate, requests are due on a fixed schedule
/// and latency counts from the due time (wrk2's coordinated-omission
/// correction); the uncorrected figure is kept beside it.
///
/// Recording is allocation-free per request: fixed-size HDR histograms and
/// counter arrays per target and thread, merged at the end, so memory does
/// not grow with the run length. Ctrl-C (``InterruptFlag``) stops the run
/// within one poll interval and the partial result is returned.
public enum HTTPBenchEngine {
    /// Longest a worker sleeps in `curl_multi_poll` before it re-checks the clock
    /// and the interrupt flag.
    static let maxPollMilliseconds = 50

    /// Runs the load described by `configuration`.
    ///
    /// - Returns: the figures per URL and in total; ``HTTPBenchResult/interrupted``
    ///   is true after Ctrl-C.
    /// - Throws: ``ValueParseError`` for an invalid load shape, ``CurlError``
    ///   when libcurl or a thread cannot be set up. Failed requests are counted,
    ///   not thrown.
    public static func run(_ configuration: HTTPBenchConfiguration) throws -> HTTPBenchResult {
        try configuration.validate()
        let threadCount = configuration.effectiveThreads
        let share = Self.sharesLookups(configuration, threads: threadCount) ? try CurlShareHandle() : nil
        let clock = BenchClock(configuration: configuration)
        let shared = BenchShared(
            requestLimit: configuration.requests, targets: configuration.targets.count, threads: threadCount)

        var workers: [PosixThread] = []
        var connectionIndex = 0
        for index in 0..<threadCount {
            let count = HTTPPoolConfiguration.share(of: configuration.connections, worker: index, of: threadCount)
            let firstConnection = connectionIndex
            connectionIndex += count
            do {
                workers.append(
                    try PosixThread(name: "peft-bench-\(index)") {
                        let worker = HTTPBenchWorker(
                            index: index, threadCount: threadCount, connections: count,
                            firstConnection: firstConnection,
                            configuration: configuration, clock: clock, shared: shared, share: share)
                        worker.run()
                    })
            } catch {
                for worker in workers { worker.join() }
                throw error
            }
        }

        // The calling thread reports progress and takes CPU time at the
        // measurement's start, while the workers run.
        var usageAtStart = clock.warmupEndNanoseconds <= MonotonicClock.nanoseconds() ? Self.cpuSeconds() : nil
        var nextProgress = TimeArithmetic.deadline(
            after: configuration.progressIntervalSeconds, from: MonotonicClock.nanoseconds())
        while shared.finishedWorkers < threadCount {
            usleep(20_000)
            let now = MonotonicClock.nanoseconds()
            if usageAtStart == nil, now >= clock.warmupEndNanoseconds { usageAtStart = Self.cpuSeconds() }
            if let progress = configuration.progress, now >= nextProgress {
                nextProgress = TimeArithmetic.deadline(after: configuration.progressIntervalSeconds, from: now)
                let counts = shared.progressCounts()
                progress(
                    HTTPBenchProgress(
                        elapsedSeconds: Double(now &- min(now, clock.warmupEndNanoseconds)) / 1e9,
                        requests: counts.requests,
                        errors: counts.errors, warmingUp: now < clock.warmupEndNanoseconds))
            }
        }
        for worker in workers { worker.join() }
        let usageAtEnd = Self.cpuSeconds()
        if let error = shared.failure { throw error }

        let perThread = shared.results()
        let targets = configuration.targets
        var perTarget = Array(repeating: HTTPBenchAccumulator(), count: targets.count)
        for result in perThread {
            for (index, accumulator) in result.enumerated() { perTarget[index].merge(accumulator) }
        }
        var total = HTTPBenchAccumulator()
        for accumulator in perTarget { total.merge(accumulator) }
        let end = max(shared.measureEndNanoseconds, clock.warmupEndNanoseconds)
        let duration = Double(end - clock.warmupEndNanoseconds) / 1e9
        let openLoop = configuration.rate != nil
        return HTTPBenchResult(
            total: HTTPBenchStatistics(url: nil, accumulator: total, durationSeconds: duration, openLoop: openLoop),
            targets: zip(targets, perTarget).map {
                HTTPBenchStatistics(url: $0.redacted, accumulator: $1, durationSeconds: duration, openLoop: openLoop)
            },
            durationSeconds: duration,
            cpuSeconds: max(0, usageAtEnd - (usageAtStart ?? usageAtEnd)),
            interrupted: shared.interrupted,
            openLoop: openLoop,
            freshConnections: configuration.freshConnections)
    }

    /// Whether the workers share a DNS cache and TLS sessions: only when there
    /// is something to share, that is, several threads and a host name to
    /// resolve, a TLS target, or a proxy. Against IP literals over plain HTTP,
    /// such as the built-in target, each thread keeps to its own libcurl state
    /// and the threads share nothing inside libcurl.
    static func sharesLookups(_ configuration: HTTPBenchConfiguration, threads: Int) -> Bool {
        guard threads > 1 else { return false }
        if configuration.client.proxy != nil { return true }
        return configuration.targets.contains { $0.scheme == "https" || !Self.isIPLiteral($0.host) }
    }

    /// Whether `host` is an IPv4 or IPv6 address (brackets and a zone id allowed).
    static func isIPLiteral(_ host: String) -> Bool {
        var text = host
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }

    /// User + system CPU seconds of the whole process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

/// Start, warm-up end and deadline of a run, in monotonic nanoseconds.
struct BenchClock: Sendable {
    let startNanoseconds: UInt64
    let warmupEndNanoseconds: UInt64
    /// Nil when only the request count bounds the run.
    let deadlineNanoseconds: UInt64?

    init(configuration: HTTPBenchConfiguration) {
        let now = MonotonicClock.nanoseconds()
        self.startNanoseconds = now
        let schedule = configuration.schedule(startingAt: now)
        self.warmupEndNanoseconds = schedule.warmupEnd
        self.deadlineNanoseconds = schedule.deadline
    }
}

/// State the workers share: the request budget, progress counters, results.
final class BenchShared: Sendable {
    let requestLimit: Int?
    /// The request budget split evenly over the targets, so that every URL
    /// gets its share however fast the others answer: one shared counter let
    /// a fast target take the whole budget before a slow or failing one was
    /// sent a single request.
    private let budgets: [BenchTargetBudget]
    private let finished = Atomic<Int>(0)
    private let interruptedFlag = Atomic<Bool>(false)
    private let measureEnd = Atomic<UInt64>(0)
    private let counters: [BenchThreadCounters]
    private let collected: Mutex<[[HTTPBenchAccumulator]]> = Mutex([])
    private let firstFailure: Mutex<CurlError?> = Mutex(nil)

    init(requestLimit: Int?, targets: Int, threads: Int) {
        self.requestLimit = requestLimit
        let targetCount = max(1, targets)
        self.budgets = (0..<targetCount).map { index in
            guard let limit = requestLimit else { return BenchTargetBudget(limit: Int.max) }
            return BenchTargetBudget(limit: limit / targetCount + (index < limit % targetCount ? 1 : 0))
        }
        self.counters = (0..<threads).map { _ in BenchThreadCounters() }
    }

    /// Takes one request from `target`'s budget; false once it is spent.
    @inline(__always)
    func tryIssue(target: Int) -> Bool {
        guard self.requestLimit != nil, self.budgets.indices.contains(target) else { return true }
        let budget = self.budgets[target]
        return budget.issued.wrappingAdd(1, ordering: .relaxed).newValue <= budget.limit
    }

    func counters(for thread: Int) -> BenchThreadCounters { self.counters[thread] }

    func progressCounts() -> (requests: Int, errors: Int) {
        var requests = 0
        var errors = 0
        for counter in self.counters {
            requests += counter.requests.load(ordering: .relaxed)
            errors += counter.errors.load(ordering: .relaxed)
        }
        return (requests, errors)
    }

    func finish(_ accumulators: [HTTPBenchAccumulator], endNanoseconds: UInt64, interrupted: Bool) {
        self.collected.withLock { $0.append(accumulators) }
        if interrupted { self.interruptedFlag.store(true, ordering: .relaxed) }
        var current = self.measureEnd.load(ordering: .relaxed)
        while current < endNanoseconds {
            let (exchanged, original) = self.measureEnd.compareExchange(
                expected: current, desired: endNanoseconds, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
        self.finished.add(1, ordering: .releasing)
    }

    func abort(_ error: CurlError) {
        self.firstFailure.withLock { if $0 == nil { $0 = error } }
    }

    func fail(_ error: CurlError) {
        self.abort(error)
        self.finished.add(1, ordering: .releasing)
    }

    var finishedWorkers: Int { self.finished.load(ordering: .acquiring) }
    var interrupted: Bool { self.interruptedFlag.load(ordering: .relaxed) }
    var measureEndNanoseconds: UInt64 { self.measureEnd.load(ordering: .relaxed) }
    var failure: CurlError? { self.firstFailure.withLock { $0 } }
    func results() -> [[HTTPBenchAccumulator]] { self.collected.withLock { $0 } }
}

/// One target's share of the request budget.
final class BenchTargetBudget: Sendable {
    let limit: Int
    let issued = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }
}

/// Per-thread progress counters (separate objects, so threads do not share a cache line).
final class BenchThreadCounters: Sendable {
    let requests = Atomic<Int>(0)
    let errors = Atomic<Int>(0)
}
