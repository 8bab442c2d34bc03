import PeftPerfCore

extension PeftPerf {
    /// `peft-perf system`: CPU, memory, disk and load, as psutil 7.2.2 computes them.
    enum SystemCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            let options = try Options(arguments: context.arguments, global: context.global)
            if let client = try LiveAPIConnection.client(context) { return try Self.runLive(context, client: client) }
            let interval = options.intervalSeconds
            let path = options.path
            if interval > 0 {
                context.console.verbose("sampling /proc/stat over \(DurationParser.format(seconds: interval))")
            }
            let report = try SystemMetricsCollector().collect(interval: interval, path: path)
            // Ctrl-C during the CPU window: the runner discards output and exits 130.
            if InterruptFlag.isRaised { return .interrupted }
            switch context.global.format {
            case .json: try context.emitJSON(report, source: .host)
            case .prometheus: try context.emit(PrometheusTextExporter.render(report))
            case .table: try context.emit(self.table(report))
            }
            return .success
        }

        /// An aligned table: one row per resource, its use, then the detail.
        static func table(_ report: SystemReport) -> String {
            let cpuWindow =
                report.cpuPercentBasis == .interval
                ? "over \(DurationParser.format(seconds: report.cpuIntervalSeconds))"
                : "average since boot (--interval 0)"
            let cpus = report.cpuCount == 1 ? "1 CPU" : "\(report.cpuCount) CPUs"
            let load = [report.loadAverage1m, report.loadAverage5m, report.loadAverage15m]
                .map { DecimalNumber.format($0, places: 2) }.joined(separator: "  ")
            return self.resourceTable([
                ("cpu", report.cpuPercent, "\(cpus), \(cpuWindow)"),
                (
                    "memory", report.memoryPercent,
                    "\(self.bytes(report.memoryUsedBytes)) used, \(self.bytes(report.memoryAvailableBytes)) available"
                        + " of \(self.bytes(report.memoryTotalBytes))"
                ),
                (
                    "disk \(report.diskPath)", report.diskPercent,
                    "\(self.bytes(report.diskUsedBytes)) used, \(self.bytes(report.diskFreeBytes)) free"
                        + " of \(self.bytes(report.diskTotalBytes))"
                ),
                ("load", nil, "\(load)  (1m 5m 15m)"),
            ])
        }

        /// One row per resource: its name, its use in percent (blank when
        /// nil), then the detail; for `system` and `system --api`.
        static func resourceTable(_ rows: [(resource: String, percent: Double?, detail: String)]) -> String {
            var table = TextTable(headers: ["RESOURCE", "USED", "DETAIL"], rightAligned: [1])
            for row in rows {
                table.addRow([row.resource, row.percent.map { Format.percent(points: $0) } ?? "", row.detail])
            }
            return table.render()
        }

        /// Binary units, three significant figures or so: `512 B`, `7.63 GiB`.
        static func bytes(_ value: UInt64) -> String {
            let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
            var scaled = Double(value)
            var unit = 0
            while scaled >= 1024, unit < units.count - 1 {
                scaled /= 1024
                unit += 1
            }
            if unit == 0 { return "\(value) B" }
            let places = scaled < 10 ? 2 : scaled < 100 ? 1 : 0
            return "\(DecimalNumber.format(scaled, places: places)) \(units[unit])"
        }
    }
}
