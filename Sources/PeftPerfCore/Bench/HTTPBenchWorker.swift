/// One bench thread: its multi handle, its connections, its figures.
///
/// Created and used on its own thread only.
struct HTTPBenchWorker {
    let index: Int
    let threadCount: Int
    let connections: Int
    let firstConnection: Int
    let configuration: HTTPBenchConfiguration
    let clock: BenchClock
    let shared: BenchShared
    /// The DNS cache and TLS sessions of every worker; nil when there is nothing to share.
    let share: CurlShareHandle?

    func run() {
        do {
            try self.loop()
        } catch {
            self.shared.fail(error)
        }
    }

    private func makeHandles() throws(CurlError) -> [CurlEasyHandle] {
        var handles: [CurlEasyHandle] = []
        for offset in 0..<self.connections {
            let target = (self.firstConnection + offset) % self.configuration.targets.count
            let easy = try CurlEasyHandle()
            try easy.configure(self.configuration.client, share: self.share)
            easy.storesBody = false
            try easy.prepare(
                HTTPRequest(
                    method: self.configuration.method, url: self.configuration.targets[target],
                    headers: self.configuration.headers, body: self.configuration.body,
                    timeoutSeconds: self.configuration.client.timeoutSeconds),
                options: self.configuration.client)
            if self.configuration.freshConnections {
                // A new connection for every request, closed afterwards: the
                // `--compare-pool` baseline.
                try easy.useFreshConnections()
            }
            easy.tag = target
            handles.append(easy)
        }
        return handles
    }

    private func loop() throws(CurlError) {
        let rate = self.configuration.rate.map { $0 / Double(self.threadCount) }
        let multi = try CurlMultiHandle(
            maxTotalConnections: self.connections, maxHostConnections: self.connections, multiplex: false)
        let handles = try self.makeHandles()
        var accumulators = Array(repeating: HTTPBenchAccumulator(), count: self.configuration.targets.count)
        let counters = self.shared.counters(for: self.index)
        let measureStart = self.clock.warmupEndNanoseconds
        let deadline = self.clock.deadlineNanoseconds ?? UInt64.max
        var idle: [CurlEasyHandle] = handles.reversed()
        var interrupted = false

        // Open loop: this thread's share of the schedule, staggered across threads.
        let interval = rate.map { UInt64(max(1, 1e9 / $0)) } ?? 0
        var nextDue =
            self.clock.startNanoseconds + (rate == nil ? 0 : interval * UInt64(self.index) / UInt64(self.threadCount))

        // Targets whose share of the request budget is spent; the worker's
        // budget is spent once every target it has a connection to is.
        var exhausted = Array(repeating: false, count: self.configuration.targets.count)
        let myTargets = Array(Set(handles.map(\.tag)))
        func allExhausted() -> Bool { myTargets.allSatisfy { exhausted[$0] } }

        /// Starts a request on `easy`; false when its target's budget is spent.
        func start(_ easy: CurlEasyHandle, due: UInt64, now: UInt64) throws(CurlError) -> Bool {
            if now >= measureStart {
                guard !exhausted[easy.tag] else { return false }
                guard self.shared.tryIssue(target: easy.tag) else {
                    exhausted[easy.tag] = true
                    return false
                }
            }
            easy.dueNanoseconds = due
            // Decided here, with the budget: a request started during the warm-up is
            // never counted, even if libcurl stamps it a moment past its end.
            easy.isMeasured = now >= measureStart
            try multi.add(easy)
            return true
        }

        var budgetSpent = false
        if rate == nil {
            let now = MonotonicClock.nanoseconds()
            var unused: [CurlEasyHandle] = []
            while let easy = idle.popLast() {
                if try !start(easy, due: now, now: now) { unused.append(easy) }
            }
            idle = unused.reversed()
            budgetSpent = allExhausted()
        }

        var requestsSinceProgress = 0
        var errorsSinceProgress = 0
        while true {
            var now = MonotonicClock.nanoseconds()
            if self.configuration.shouldStop() {
                interrupted = true
                break
            }
            if now >= deadline { break }
            if budgetSpent, multi.count == 0 { break }

            if rate != nil, !budgetSpent {
                while nextDue <= now, let index = idle.lastIndex(where: { !exhausted[$0.tag] }) {
                    guard try start(idle[index], due: nextDue, now: now) else {
                        budgetSpent = allExhausted()
                        if budgetSpent { break }
                        continue
                    }
                    idle.remove(at: index)
                    nextDue &+= interval
                }
                if budgetSpent, multi.count == 0 { break }
            }

            try multi.perform()
            var failure: CurlError? = nil
            multi.forEachCompleted { easy, code in
                let done = MonotonicClock.nanoseconds()
                multi.remove(easy)
                if easy.isMeasured {
                    let isError = Self.record(
                        easy, code: code, done: done, openLoop: rate != nil, into: &accumulators[easy.tag])
                    requestsSinceProgress += 1
                    if isError { errorsSinceProgress += 1 }
                }
                if rate == nil, !budgetSpent, done < deadline, failure == nil {
                    do throws(CurlError) {
                        if try start(easy, due: done, now: done) { return }
                        budgetSpent = allExhausted()
                    } catch {
                        failure = error
                    }
                }
                idle.append(easy)
            }
            if let failure { throw failure }
            if requestsSinceProgress >= 256 {
                counters.requests.add(requestsSinceProgress, ordering: .relaxed)
                counters.errors.add(errorsSinceProgress, ordering: .relaxed)
                requestsSinceProgress = 0
                errorsSinceProgress = 0
            }

            now = MonotonicClock.nanoseconds()
            var timeout = HTTPBenchEngine.maxPollMilliseconds
            if rate != nil, !budgetSpent, idle.contains(where: { !exhausted[$0.tag] }) {
                timeout = nextDue <= now ? 0 : min(timeout, Int((nextDue - now) / 1_000_000))
            }
            if deadline != UInt64.max {
                timeout = deadline <= now ? 0 : min(timeout, Int((deadline - now) / 1_000_000) + 1)
            }
            if multi.count == 0, timeout == 0 { continue }
            try multi.poll(timeoutMilliseconds: timeout)
        }
        let end = min(MonotonicClock.nanoseconds(), deadline)
        counters.requests.add(requestsSinceProgress, ordering: .relaxed)
        counters.errors.add(errorsSinceProgress, ordering: .relaxed)

        // Requests still running: counted, then abandoned.
        for easy in handles where !idle.contains(where: { $0 === easy }) {
            if easy.isMeasured { accumulators[easy.tag].inFlightAtEnd &+= 1 }
            multi.remove(easy)
        }
        self.shared.finish(accumulators, endNanoseconds: end, interrupted: interrupted)
    }

    /// Records one finished request; returns whether it counts as an error.
    @inline(__always)
    static func record(
        _ easy: CurlEasyHandle, code: CurlTransferOutcome, done: UInt64, openLoop: Bool,
        into accumulator: inout HTTPBenchAccumulator
    ) -> Bool {
        accumulator.requests &+= 1
        let connects = easy.connectionsOpened
        if connects > 0 { accumulator.connectionsOpened &+= UInt64(connects) }
        let added = easy.addedNanoseconds
        // Waiting for our own free connection (open loop) plus libcurl's queue.
        var queue = openLoop && added > easy.dueNanoseconds ? added - easy.dueNanoseconds : 0
        let prereq = easy.prereqNanoseconds
        if prereq > added, prereq - added > 200_000 {
            let preTransfer = TimeArithmetic.nanoseconds(easy.preTransferSeconds)
            if prereq - added > preTransfer { queue &+= prereq - added - preTransfer }
        }
        accumulator.queueWait.record(nanoseconds: queue)
        guard code.succeeded else {
            if accumulator.firstError == nil { accumulator.firstError = easy.error(for: code) }
            accumulator.countError(easy.errorKind(for: code))
            return true
        }
        let status = easy.responseStatus
        accumulator.statusCounts[(100...599).contains(status) ? status : 0] &+= 1
        accumulator.latency.record(nanoseconds: done &- (openLoop ? easy.dueNanoseconds : added))
        if openLoop { accumulator.uncorrected.record(nanoseconds: done &- added) }
        accumulator.httpVersionCounts[easy.httpVersion().index] &+= 1
        if status >= 500 {
            accumulator.countError(.http5xx)
            return true
        }
        return false
    }
}
