internal import CCurl
import Synchronization

/// One pool worker: a thread driving its own multi handle.
///
/// The multi handle and its easy handles live only on the worker thread.
/// Other threads touch only ``inbox`` (under its mutex) and call
/// `curl_multi_wakeup`, which libcurl documents as thread-safe; the wakeup
/// happens under the same mutex that the thread takes before cleaning the
/// multi handle up, so it can never reach a freed handle.
final class HTTPPoolWorker: Sendable {
    struct Inbox {
        var jobs: [HTTPPoolJob] = []
        var running = true
        var waker: MultiWaker?
    }

    /// The raw multi pointer, only for `curl_multi_wakeup`.
    struct MultiWaker: @unchecked Sendable {
        let raw: UnsafeMutableRawPointer
        func wake() { _ = peft_curl_multi_wakeup(self.raw) }
    }

    /// Hands a non-Sendable value to exactly one other thread.
    /// Safe because the creator drops its reference right after handing it over.
    struct Handover<Value>: @unchecked Sendable {
        let value: Value
    }

    private let inbox = Mutex(Inbox())
    private let thread: Mutex<PosixThread?> = Mutex(nil)

    init(
        index: Int, maxConnections: Int, maxPerHost: Int, options: HTTPClientOptions, monitor: PerformanceMonitor?,
        share: CurlShareHandle, counters: HTTPPoolCounters
    ) throws {
        let multi = try CurlMultiHandle(maxTotalConnections: maxConnections, maxHostConnections: maxPerHost)
        self.inbox.withLock { $0.waker = MultiWaker(raw: multi.raw) }
        let handover = Handover(value: multi)
        let loop = HTTPPoolLoop(options: options, monitor: monitor, share: share, counters: counters)
        let thread = try PosixThread(name: "peft-http-\(index)") { [self] in
            loop.run(multi: handover.value, worker: self)
        }
        self.thread.withLock { $0 = thread }
    }

    func enqueue(_ job: HTTPPoolJob) {
        let rejected: HTTPPoolJob? = self.inbox.withLock { inbox in
            guard inbox.running else { return job }
            inbox.jobs.append(job)
            inbox.waker?.wake()
            return nil
        }
        if let rejected {
            rejected.completion(.failure(HTTPPoolLoop.cancelled))
        }
    }

    /// Takes queued jobs; nil once the worker should stop.
    func takeJobs() -> [HTTPPoolJob]? {
        self.inbox.withLock { inbox in
            guard inbox.running else { return nil }
            defer { inbox.jobs.removeAll(keepingCapacity: true) }
            return inbox.jobs
        }
    }

    /// Called by the thread before it cleans the multi handle up; returns
    /// jobs that never started.
    func detachWaker() -> [HTTPPoolJob] {
        self.inbox.withLock { inbox in
            inbox.waker = nil
            inbox.running = false
            defer { inbox.jobs.removeAll() }
            return inbox.jobs
        }
    }

    func stop() {
        self.inbox.withLock { inbox in
            inbox.running = false
            inbox.waker?.wake()
        }
        let thread = self.thread.withLock { slot -> PosixThread? in
            defer { slot = nil }
            return slot
        }
        if let thread, !thread.isCurrent { thread.join() }
    }
}

/// The worker thread's loop: everything here runs on that one thread.
struct HTTPPoolLoop: Sendable {
    let options: HTTPClientOptions
    let monitor: PerformanceMonitor?
    let share: CurlShareHandle
    let counters: HTTPPoolCounters

    static let cancelled = CurlError(
        code: Int(CURLE_ABORTED_BY_CALLBACK.rawValue), interface: .multi, message: "the connection pool was shut down")

    func run(multi: CurlMultiHandle, worker: HTTPPoolWorker) {
        var idle: [CurlEasyHandle] = []
        var active: [ObjectIdentifier: (CurlEasyHandle, HTTPPoolJob)] = [:]
        while let jobs = worker.takeJobs() {
            for job in jobs {
                self.start(job, multi: multi, idle: &idle, active: &active)
            }
            do {
                try multi.perform()
                multi.forEachCompleted { easy, code in
                    multi.remove(easy)
                    guard let (_, job) = active.removeValue(forKey: ObjectIdentifier(easy)) else { return }
                    self.finish(job, easy: easy, code: code)
                    if idle.count < 64 { idle.append(easy) }
                }
                try multi.poll(timeoutMilliseconds: 1000)
            } catch {
                // A multi-level failure is not tied to one transfer: fail them all.
                for (easy, job) in active.values {
                    multi.remove(easy)
                    self.complete(job, .failure(error), durationSeconds: 0)
                }
                active.removeAll()
            }
        }
        for job in worker.detachWaker() { job.completion(.failure(Self.cancelled)) }
        for (easy, job) in active.values {
            multi.remove(easy)
            job.completion(.failure(Self.cancelled))
        }
        // `multi` and the easy handles are released here, on their thread.
    }

    private func start(
        _ job: HTTPPoolJob, multi: CurlMultiHandle, idle: inout [CurlEasyHandle],
        active: inout [ObjectIdentifier: (CurlEasyHandle, HTTPPoolJob)]
    ) {
        do {
            let easy: CurlEasyHandle
            if let reused = idle.popLast() {
                easy = reused
            } else {
                easy = try CurlEasyHandle()
                try easy.configure(self.options, share: self.share)
            }
            var request = job.request
            if request.timeoutSeconds == nil { request.timeoutSeconds = self.options.timeoutSeconds }
            try easy.prepare(request, options: self.options)
            try multi.add(easy)
            // Count the queue from submission, not from the add.
            easy.addedNanoseconds = job.submittedNanoseconds
            active[ObjectIdentifier(easy)] = (easy, job)
        } catch {
            self.complete(job, .failure(error), durationSeconds: 0)
        }
    }

    private func finish(_ job: HTTPPoolJob, easy: CurlEasyHandle, code: CurlTransferOutcome) {
        let connects = easy.connectionsOpened
        if connects > 0 {
            self.counters.opened.add(connects, ordering: .relaxed)
        }
        guard code.succeeded else {
            let elapsed = MonotonicClock.seconds(since: job.submittedNanoseconds)
            self.complete(job, .failure(easy.error(for: code)), durationSeconds: elapsed)
            return
        }
        if connects == 0 { self.counters.reused.add(1, ordering: .relaxed) }
        let timings = easy.timings()
        let response = HTTPResponse(
            status: easy.getLong(CURLINFO_RESPONSE_CODE), headers: easy.responseHeaders(), body: easy.body,
            timings: timings, reusedConnection: connects == 0, httpVersion: easy.httpVersionName())
        self.complete(job, .success(response), durationSeconds: timings.total)
    }

    private func complete(_ job: HTTPPoolJob, _ result: Result<HTTPResponse, CurlError>, durationSeconds: Double) {
        self.counters.requests.add(1, ordering: .relaxed)
        switch result {
        case .success(let response):
            self.monitor?.record(
                endpoint: job.request.endpointName, durationSeconds: durationSeconds, status: response.status,
                error: nil)
        case .failure(let error):
            self.counters.failures.add(1, ordering: .relaxed)
            self.monitor?.record(
                endpoint: job.request.endpointName, durationSeconds: durationSeconds, status: nil,
                error: error.kind.rawValue)
        }
        job.completion(result)
    }
}
