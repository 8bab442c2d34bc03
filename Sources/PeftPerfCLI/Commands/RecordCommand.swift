#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import PeftPerfCore

extension PeftPerf {
    /// `peft-perf record [FILE|-]`: ingest newline-delimited JSON events.
    ///
    /// A regular file is one batch in one transaction; stdin or a pipe is
    /// committed every second (or 100k events, or when idle). Bad lines go to
    /// stderr as `FILE:LINE: reason` and make the exit status 1; `--strict`
    /// stops at the first and writes nothing of the batch.
    enum RecordCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            let recordOptions = try Options(arguments: context.arguments, global: context.global)
            let positionals = context.arguments.positionals
            guard positionals.count <= 1 else {
                throw UsageError("record takes at most one FILE (or - for stdin)")
            }
            let file = positionals.first ?? "-"
            let name = file == "-" ? "<stdin>" : file
            let fd: Int32
            if file == "-" {
                fd = 0
            } else {
                fd = open(file, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    throw RecordCommandError("cannot open \(file): \(String(cString: strerror(errno)))")
                }
            }
            defer { if fd != 0 { close(fd) } }
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                throw RecordCommandError("cannot read \(name): \(String(cString: strerror(errno)))")
            }
            if (info.st_mode & S_IFMT) == S_IFDIR { throw RecordCommandError("\(name) is a directory") }
            let isStream = (info.st_mode & S_IFMT) != S_IFREG

            // Imported before anything is read, so that the run names requests by them.
            try RoutesCommand.importIfGiven(context)
            let routeOptions = try RoutesCommand.Options(arguments: context.arguments, global: context.global)
            var configuration = PerformanceService.Configuration(
                storePath: try context.global.store, databasePath: context.global.db)
            configuration.busyTimeoutSeconds = context.global.timeoutSeconds
            if let retention = recordOptions.retentionSeconds { configuration.retentionSeconds = retention }
            let service = PerformanceService(configuration: configuration)
            var options = RecordIngestor.Options(
                strict: recordOptions.strict, slowThresholdSeconds: recordOptions.slowThresholdSeconds,
                isStream: isStream)
            options.routes = RouteGrouping(cardinality: routeOptions.cardinality)
            let console = context.console
            let summary = try service.record(
                fd: fd, options: options,
                onBadLine: { bad in console.error("\(name):\(bad.line): \(bad.reason)") },
                onRelativeDatabase: { given, resolved in
                    console.warn(
                        "\(name): \"db\" '\(given)' is relative: recorded as '\(resolved)', against record's current directory, "
                            + "which may not be the service's; give absolute paths (sqlite:////abs/path.db)")
                })
            if summary.groupedRouteCapReached {
                console.warn(
                    "\(name): more than \(options.maxGroupedRoutes) distinct endpoints without a route template: "
                        + "later new ones were recorded as (other); import the service's routes (routes import SOURCE)")
            }
            if summary.interrupted {
                let signal = summary.signal ?? "a signal"
                console.warn(
                    summary.rolledBack
                        ? "stopped by \(signal): nothing of \(name) was recorded (\(summary.eventsDropped) events rolled back); record it again"
                        : "stopped by \(signal): the \(summary.requestsRecorded + summary.queriesRecorded) events read so far were recorded"
                )
            } else if summary.rolledBack {
                console.error("--strict: nothing of the batch was recorded")
            }

            switch context.global.format {
            case .json:
                try context.emitJSON(summary, source: .store)
            case .table, .prometheus:
                try context.emit(Self.table(summary, name: name))
            }
            if summary.interrupted { return .interrupted }
            return summary.badLines > 0 || summary.rolledBack ? .failure : .success
        }

        static func table(_ summary: RecordSummary, name: String) -> String {
            var table = TextTable(headers: ["", name], rightAligned: [1])
            table.addRow(["lines read", String(summary.lines)])
            table.addRow(["requests recorded", String(summary.requestsRecorded)])
            table.addRow(["queries recorded", String(summary.queriesRecorded)])
            table.addRow(["bad lines", String(summary.badLines)])
            if summary.eventsDropped > 0 { table.addRow(["events dropped", String(summary.eventsDropped)]) }
            if summary.blankLines > 0 { table.addRow(["blank lines", String(summary.blankLines)]) }
            if !summary.prefixesCollapsed.isEmpty {
                table.addRow(["prefixes collapsed", summary.prefixesCollapsed.joined(separator: " ")])
            }
            table.addRow(["batches committed", String(summary.batchesCommitted)])
            if summary.rolledBack {
                table.addRow([summary.interrupted ? "rolled back" : "rolled back (--strict)", "yes"])
            }
            if summary.interrupted { table.addRow(["interrupted", summary.signal ?? "yes"]) }
            return table.render()
        }
    }

    /// `record` could not read its input.
    struct RecordCommandError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
