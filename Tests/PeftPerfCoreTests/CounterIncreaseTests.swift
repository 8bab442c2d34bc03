import PeftPerfTestSupport
import Testing

@testable import PeftPerfCore

/// Counter deltas over stored snapshots, resets handled as Prometheus'
/// `increase()` handles them, checked against generated services.
@Suite struct CounterIncreaseTests {
    /// A service that counts, is sampled, and sometimes restarts between two
    /// samples; it knows what each interval really counted where a reset is
    /// visible (the new process's count) and which intervals restarted.
    struct GeneratedService {
        var samples: [UInt64] = []
        var visibleIncrements: [UInt64] = []
        var restarts: [Bool] = []

        init(seed: UInt64, steps: Int, restartEvery: Int) {
            var random = SplitMix64(seed: seed)
            var value = random.next() % 50
            self.samples.append(value)
            for step in 1...steps {
                if restartEvery > 0, step % restartEvery == 0, value > 0 {
                    // Lost counts of the old process, then a new one counting from 0,
                    // sampled before it caught up with the old value (else no reset shows).
                    let counted = random.next() % value
                    value = counted
                    self.visibleIncrements.append(counted)
                    self.restarts.append(true)
                } else {
                    let increment = random.next() % 1000
                    value += increment
                    self.visibleIncrements.append(increment)
                    self.restarts.append(false)
                }
                self.samples.append(value)
            }
        }
    }

    @Test(arguments: [(1, 0), (2, 3), (3, 7), (4, 1), (5, 2), (6, 50)])
    func generatedSequencesWithResets(seed: Int, restartEvery: Int) {
        let service = GeneratedService(seed: UInt64(seed), steps: 200, restartEvery: restartEvery)
        let intervals = CounterIncrease.intervals(service.samples)
        #expect(intervals.map(\.increase) == service.visibleIncrements)
        #expect(intervals.map(\.reset) == service.restarts)
        #expect(CounterIncrease.total(service.samples) == service.visibleIncrements.reduce(0, +))
    }

    @Test func edgeCases() {
        #expect(CounterIncrease.intervals([]).isEmpty)
        #expect(CounterIncrease.intervals([5]).isEmpty)
        #expect(CounterIncrease.total([7, 7, 7]) == 0)
        // A restart to exactly 0.
        #expect(CounterIncrease.between(10, 0) == (0, true))
        // Prometheus' example: 10, 20, reset, 5, 15 → 10 + 5 + 10.
        #expect(CounterIncrease.total([10, 20, 5, 15]) == 25)
        // A restart that caught up past the old value cannot be seen, by
        // anyone reading only the counter: it reads as growth.
        #expect(CounterIncrease.between(10, 12) == (2, false))
        #expect(CounterIncrease.between(0, UInt64.max) == (UInt64.max, false))
    }

    func snapshot(
        _ at: Double, requests: UInt64, errors: UInt64 = 0, queries: UInt64 = 0, own: (UInt64, UInt64) = (0, 0)
    )
        -> APISnapshot
    {
        APISnapshot(
            apiURL: "http://127.0.0.1:8000", receivedAt: at, totalRequests: requests, errorCount: errors,
            totalQueries: queries, ownRequestsBefore: own.0, ownRequestsAfter: own.1)
    }

    @Test func deltasPerIntervalSubtractOwnCallsAndFlagResets() {
        let snapshots = [
            self.snapshot(1000, requests: 100, errors: 4, queries: 500, own: (0, 1)),
            self.snapshot(1060, requests: 161, errors: 6, queries: 620, own: (0, 1)),
            // Restart: everything counted again from 0.
            self.snapshot(1120, requests: 30, errors: 1, queries: 90, own: (0, 1)),
            self.snapshot(1180, requests: 31, errors: 1, queries: 90, own: (0, 1)),
        ]
        // Given out of order: they are sorted by receipt time.
        let deltas = APISnapshotDeltas(apiURL: "http://127.0.0.1:8000", snapshots: snapshots.reversed())
        #expect(deltas.snapshots == 4)
        #expect(deltas.intervals.map(\.requests) == [60, 30, 0])
        #expect(deltas.intervals.map(\.errors) == [2, 1, 0])
        #expect(deltas.intervals.map(\.queries) == [120, 90, 0])
        #expect(deltas.intervals.map(\.counterReset) == [false, true, false])
        #expect(deltas.intervals[0].requestsPerSecond == 1)
        #expect(deltas.intervals[0].start == RecordTimestamp.formatMilliseconds(1000))
        #expect(deltas.total.requests == 90)
        #expect(deltas.total.resets == 1)
        #expect(deltas.total.durationSeconds == 180)
    }

    @Test func generatedSnapshotsSumToTheVisibleTraffic() {
        for seed in 1...20 {
            let requests = GeneratedService(seed: UInt64(seed), steps: 60, restartEvery: seed % 4 + 2)
            // Without a restart, the queries never go down: they are checked on the growth.
            let queries = GeneratedService(seed: UInt64(seed + 100), steps: 60, restartEvery: 0)
            let snapshots = zip(requests.samples, queries.samples).enumerated().map { i, pair in
                self.snapshot(Double(i) * 10, requests: pair.0, queries: pair.1)
            }
            let deltas = APISnapshotDeltas(apiURL: "u", snapshots: snapshots)
            #expect(deltas.intervals.map(\.requests) == requests.visibleIncrements)
            #expect(deltas.intervals.map(\.counterReset) == requests.restarts)
            // On a restart every counter counts from 0: the queries' interval is their new value.
            let expectedQueries = (1..<queries.samples.count).map {
                requests.restarts[$0 - 1] ? queries.samples[$0] : queries.visibleIncrements[$0 - 1]
            }
            #expect(deltas.intervals.map(\.queries) == expectedQueries)
        }
    }

    @Test func oneCounterGoingDownResetsThemAll() {
        // The restarted service has served fewer requests but as many errors as before.
        let deltas = APISnapshotDeltas(
            apiURL: "u",
            snapshots: [
                self.snapshot(0, requests: 500, errors: 2, queries: 900),
                self.snapshot(60, requests: 40, errors: 2, queries: 950),
            ])
        #expect(deltas.intervals.first?.counterReset == true)
        #expect(deltas.intervals.first?.requests == 40)
        #expect(deltas.intervals.first?.errors == 2)
        #expect(deltas.intervals.first?.queries == 950)
    }

    @Test func snapshotsRoundTripThroughTheStore() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("store.sqlite")
        let store = try PerformanceStore.openOrCreate(at: path)
        #expect(try APISnapshotStore.load(apiURL: "http://a", since: nil, from: store).isEmpty)
        let first = APISnapshot(
            apiURL: "http://a", receivedAt: 100.5, serverTimestamp: "2026-12-07T10:40:15.266916", totalRequests: 7,
            errorCount: 1, totalQueries: UInt64(Int64.max) + 5, slowQueries: 2, cacheHits: 3, cacheMisses: 4,
            ownRequestsBefore: 0, ownRequestsAfter: 1)
        try APISnapshotStore.record(first, into: store)
        try APISnapshotStore.record(self.snapshot(200, requests: 9), into: store)
        var other = self.snapshot(150, requests: 1)
        other.apiURL = "http://b"
        try APISnapshotStore.record(other, into: store)
        let loaded = try APISnapshotStore.load(apiURL: "http://a", since: nil, from: store)
        #expect(loaded.count == 1)
        var saturated = first
        saturated.totalQueries = UInt64(Int64.max)
        #expect(loaded.first == saturated)
        let all = try APISnapshotStore.load(apiURL: "http://127.0.0.1:8000", since: 150, from: store)
        #expect(all.map(\.receivedAt) == [200])
        #expect(try store.installedVersion(of: APISnapshotStore.component) == 1)
    }
}
