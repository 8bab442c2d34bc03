/// Reads `record` input and writes it to a ``RecordSink`` in batches.
///
/// - A **file** is one batch, in one transaction: a killed `record` leaves all
///   of it or none of it.
/// - A **stream** (a pipe, a terminal, `tail -F`) never ends, so a batch is
///   committed every ``Options/streamCommitSeconds`` or
///   ``Options/streamCommitEvents``, whichever comes first; each batch is
///   still all-or-nothing.
/// - Bad lines are reported through `onBadLine` and skipped; with
///   ``Options/strict`` the first one rolls the batch back and stops.
/// - SIGINT or SIGTERM (``InterruptFlag``) stops reading. A file's batch is
///   rolled back, so that recording the file again never counts anything
///   twice; a stream's events read so far are committed (a stream cannot be
///   read again). Either way the summary says how many lines were read and
///   how many events were recorded and dropped.
///
/// Sinks should open their transaction lazily, at the first write: a
/// stream's batch then holds no lock while it waits for input.
///
/// Memory stays constant: lines are parsed in place from one buffer, and
/// request rows are flushed to the sink (inside the open transaction) once
/// ``RecordBatch/maxPendingRows`` are held.
public enum RecordIngestor {
    public struct Options: Sendable {
        public var strict: Bool
        public var slowThresholdSeconds: Double
        /// Whether the input is a stream rather than a regular file.
        public var isStream: Bool
        public var streamCommitSeconds: Double = 1
        public var streamCommitEvents = 100_000

        /// What a relative `db` is resolved against; nil: the current directory when the run starts.
        public var workingDirectory: String?
        /// How requests are named (route templates, collapsed prefixes, cardinality).
        public var routes = RouteGrouping()
        /// Distinct grouped endpoint names (not given by a template) before `(other)`.
        public var maxGroupedRoutes = 1000

        public init(
            strict: Bool = false, slowThresholdSeconds: Double = 1, isStream: Bool = false,
            workingDirectory: String? = nil
        ) {
            self.strict = strict
            self.slowThresholdSeconds = slowThresholdSeconds
            self.isStream = isStream
            self.workingDirectory = workingDirectory
        }
    }

    /// Ingests everything readable from `fd`.
    ///
    /// - Parameters:
    ///   - now: the wall clock, for events without `ts` (injectable for tests).
    ///   - onBadLine: called for each rejected line, in order, as it is found.
    ///   - onRelativeDatabase: called once per run, at the first query event
    ///     whose `db` is a relative path (``RecordDatabaseLocation``), with the
    ///     path as given and as resolved against the working directory; every
    ///     such event is recorded under its resolved path and counted in
    ///     ``RecordSummary/relativeDatabaseEvents``.
    /// - Returns: counts, and the first rejected lines.
    /// - Throws: read errors and the sink's errors (the open batch is rolled back first).
    public static func run(
        fd: Int32, into sink: inout some RecordSink, options: Options,
        now: () -> Double = RecordTimestamp.now,
        onBadLine: (RecordLineError) -> Void = { _ in },
        onRelativeDatabase: (_ given: String, _ resolved: String) -> Void = { _, _ in }
    ) throws -> RecordSummary {
        var summary = RecordSummary()
        var batch = RecordBatch(maxEndpoints: options.maxGroupedRoutes, grouping: options.routes)
        var savedCollapseCount = 0
        let collapsedAtStart = Set(options.routes.collapsed.keys)
        var pendingRequests = 0
        var pendingQueries = 0
        var batchStarted = MonotonicClock.nanoseconds()
        var open = false
        var stopped = false
        let commitNanoseconds = TimeArithmetic.nanoseconds(options.streamCommitSeconds)
        var stamp = now()
        var linesSinceStamp = 0
        var workingDirectory: String?
        func resolved(_ query: RecordEvent.Query) -> RecordEvent.Query {
            guard let database = query.database, !database.hasPrefix("/") else { return query }
            let directory = workingDirectory ?? options.workingDirectory ?? RecordDatabaseLocation.currentDirectory()
            workingDirectory = directory
            var copy = query
            copy.database = RecordDatabaseLocation.absolute(database, in: directory)
            if summary.relativeDatabaseEvents == 0 { onRelativeDatabase(database, copy.database ?? database) }
            summary.relativeDatabaseEvents += 1
            return copy
        }

        func commit() throws {
            if !batch.isEmpty { try sink.write(rows: batch.takeRows()) }
            if batch.grouping.collapseCount != savedCollapseCount {
                try sink.write(routes: batch.grouping)
                savedCollapseCount = batch.grouping.collapseCount
            }
            summary.groupedRouteCapReached = batch.groupedCapReached
            summary.prefixesCollapsed = batch.grouping.collapsed.keys.filter { !collapsedAtStart.contains($0) }.sorted()
            try sink.commitBatch()
            open = false
            // The last commit of a stream often holds nothing (everything was
            // committed when the input went quiet): it is not a batch.
            if pendingRequests + pendingQueries > 0 { summary.batchesCommitted += 1 }
            summary.requestsRecorded += pendingRequests
            summary.queriesRecorded += pendingQueries
            pendingRequests = 0
            pendingQueries = 0
        }

        /// A stream's commit: what was read becomes visible, stamped now, and the next batch opens.
        func commitAndReopen() throws {
            stamp = now()
            try commit()
            try sink.beginBatch()
            open = true
            batchStarted = MonotonicClock.nanoseconds()
        }

        do {
            try sink.beginBatch()
            open = true
            let idle = options.isStream ? options.streamCommitSeconds : nil
            try RecordLineReader.forEachLine(fd: fd, idleSeconds: idle) { number, line in
                if InterruptFlag.isRaised { return false }
                if case .idle = line {
                    // A quiet stream: make what was read visible now.
                    if pendingRequests + pendingQueries > 0 {
                        try commitAndReopen()
                    }
                    return true
                }
                summary.lines = number
                // The wall clock is read once per 1024 lines: events without `ts`
                // land in the right minute, and reading it is not free.
                linesSinceStamp += 1
                if linesSinceStamp >= 1024 {
                    stamp = now()
                    linesSinceStamp = 0
                }
                let parsed: RecordEvent?
                switch line {
                case .idle:
                    return true
                case .tooLong:
                    parsed = nil
                    try reject(
                        RecordLineError(
                            line: number, reason: "line longer than \(RecordEventParser.maxLineBytes) bytes"))
                    if stopped { return false }
                    return true
                case .bytes(let bytes):
                    do {
                        parsed = try RecordEventParser.parse(bytes, now: stamp)
                    } catch let error as RecordLineError {
                        var located = error
                        located.line = number
                        try reject(located)
                        return !stopped
                    }
                }
                // A stream's batch is timed from its first event, not from the last
                // commit: an event after a quiet spell must not be committed alone.
                if options.isStream, pendingRequests + pendingQueries == 0, parsed != nil {
                    batchStarted = MonotonicClock.nanoseconds()
                }
                switch parsed {
                case nil:
                    summary.blankLines += 1
                case .request(let request):
                    batch.add(request, now: stamp)
                    pendingRequests += 1
                    if batch.isFull { try sink.write(rows: batch.takeRows()) }
                case .query(let query):
                    try sink.write(query: resolved(query), slowThresholdSeconds: options.slowThresholdSeconds)
                    pendingQueries += 1
                }
                if options.isStream,
                    pendingRequests + pendingQueries >= options.streamCommitEvents
                        || MonotonicClock.nanoseconds() &- batchStarted >= commitNanoseconds
                {
                    try commitAndReopen()
                }
                return true
            }
            if stopped {
                summary.rolledBack = true
                return summary
            }
            if InterruptFlag.isRaised {
                summary.interrupted = true
                summary.signal = InterruptFlag.signal.map(RecordSummary.signalName)
                if options.isStream {
                    try commit()
                } else {
                    sink.rollbackBatch()
                    open = false
                    summary.rolledBack = true
                    summary.eventsDropped += pendingRequests + pendingQueries
                    pendingRequests = 0
                    pendingQueries = 0
                }
                return summary
            }
            try commit()
            if InterruptFlag.isRaised {
                // The signal came after the last line, during the commit: all
                // of it is recorded, and the exit status still says so.
                summary.interrupted = true
                summary.signal = InterruptFlag.signal.map(RecordSummary.signalName)
            }
        } catch {
            if open { sink.rollbackBatch() }
            throw error
        }
        return summary

        func reject(_ error: RecordLineError) throws {
            summary.badLines += 1
            if summary.badLineDetails.count < RecordSummary.maxListedBadLines { summary.badLineDetails.append(error) }
            onBadLine(error)
            if options.strict {
                sink.rollbackBatch()
                open = false
                stopped = true
                // What was read of this batch is discarded; the counts say so.
                summary.eventsDropped += pendingRequests + pendingQueries
                pendingRequests = 0
                pendingQueries = 0
            }
        }
    }
}
