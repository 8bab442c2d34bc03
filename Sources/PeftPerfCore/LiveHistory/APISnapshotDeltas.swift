/// What `metrics --api URL --since D` shows over stored snapshots: the
/// service's counters are cumulative since its start, so each interval
/// between two snapshots gets its growth: requests, errors, queries.
///
/// - A counter that went down means the service restarted: the interval
///   counts the new values (``CounterIncrease``), of every counter, since
///   they all come from the one process, and is flagged.
/// - peft-perf's own calls to the API are counted by the service; they are
///   subtracted from the requests (the calls a recording run made after its
///   `metrics` read, and those the next run made before its own).
public struct APISnapshotDeltas: Sendable, Encodable {
    /// The growth between two consecutive snapshots.
    public struct Interval: Sendable, Equatable, Encodable {
        /// Receipt times, ISO-8601 UTC.
        public var start: String
        public var end: String
        public var durationSeconds: Double
        public var requests: UInt64
        public var errors: UInt64
        public var queries: UInt64
        public var slowQueries: UInt64
        /// Requests per second over the interval; nil for an empty interval.
        @FiniteOrNull public var requestsPerSecond: Double?
        /// A counter went down: the service restarted within the interval.
        public var counterReset: Bool
    }

    /// The sums over every interval.
    public struct Total: Sendable, Equatable, Encodable {
        public var durationSeconds: Double
        public var requests: UInt64
        public var errors: UInt64
        public var queries: UInt64
        public var slowQueries: UInt64
        /// How many intervals saw a restart.
        public var resets: Int
    }

    public var apiURL: String
    public var snapshots: Int
    public var intervals: [Interval]
    public var total: Total

    /// The intervals between `snapshots`, which are sorted by receipt time here.
    public init(apiURL: String, snapshots unsorted: [APISnapshot]) {
        let snapshots = unsorted.sorted { $0.receivedAt < $1.receivedAt }
        self.apiURL = apiURL
        self.snapshots = snapshots.count
        var intervals: [Interval] = []
        for (previous, current) in zip(snapshots, snapshots.dropFirst()) {
            // The counters come from one process: one going down means it
            // restarted, and every counter then counts from 0 (an error count
            // that happens to be higher after the restart is no growth).
            let pairs = [
                (previous.totalRequests, current.totalRequests), (previous.errorCount, current.errorCount),
                (previous.totalQueries, current.totalQueries), (previous.slowQueries, current.slowQueries),
            ]
            let reset = pairs.contains { CounterIncrease.between($0.0, $0.1).reset }
            let increases = pairs.map { reset ? $0.1 : CounterIncrease.between($0.0, $0.1).increase }
            let (requests, errors, queries, slow) = (increases[0], increases[1], increases[2], increases[3])
            // After a restart the previous run's late calls went to the old process.
            let own = (reset ? 0 : previous.ownRequestsAfter) &+ current.ownRequestsBefore
            let theirs = requests - min(requests, own)
            let duration = max(0, current.receivedAt - previous.receivedAt)
            intervals.append(
                Interval(
                    start: RecordTimestamp.formatMilliseconds(previous.receivedAt),
                    end: RecordTimestamp.formatMilliseconds(current.receivedAt),
                    durationSeconds: duration, requests: theirs, errors: errors, queries: queries, slowQueries: slow,
                    requestsPerSecond: duration > 0 ? Double(theirs) / duration : nil,
                    counterReset: reset))
        }
        self.intervals = intervals
        self.total = Total(
            durationSeconds: intervals.reduce(0) { $0 + $1.durationSeconds },
            requests: intervals.reduce(0) { $0 &+ $1.requests }, errors: intervals.reduce(0) { $0 &+ $1.errors },
            queries: intervals.reduce(0) { $0 &+ $1.queries },
            slowQueries: intervals.reduce(0) { $0 &+ $1.slowQueries },
            resets: intervals.filter(\.counterReset).count)
    }
}
