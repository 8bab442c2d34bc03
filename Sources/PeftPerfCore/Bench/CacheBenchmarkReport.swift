/// Everything ``CacheBenchmark/run(_:)`` measured.
///
/// The `bench` command embeds it under its `cache` suite; it carries no
/// `schema_version` of its own.
public struct CacheBenchmarkReport: Sendable, Equatable, Encodable {
    /// One entry per implementation and workload, in the order measured.
    public var results: [CacheBenchmarkResult]
    /// The best hit rate any policy holding a fixed set of `capacity` keys
    /// gets on the Zipf trace (the `capacity` most frequent keys); LRU stays
    /// below it.
    public var zipfStaticOptimalHitRate: Double
    /// Cache capacity used.
    public var capacity: Int
    /// Runs per workload.
    public var runs: Int
    /// True if Ctrl-C stopped the suite early; `results` holds what ran.
    public var interrupted: Bool

    /// The result for an implementation and workload, if measured.
    public func result(_ implementation: String, _ workload: String) -> CacheBenchmarkResult? {
        results.first { $0.implementation == implementation && $0.workload == workload }
    }
}

extension CacheBenchmarkReport {
    /// The figures as an aligned plain-text table, for `bench --suite cache`
    /// without `--json`: one row per implementation and workload, medians.
    public func tableText() -> String {
        let headers = ["CACHE", "WORKLOAD", "THREADS", "OPS/S", "NS/OP", "CPU NS/OP", "HIT RATE", "FAILED"]
        var rows: [[String]] = []
        for result in results {
            rows.append([
                result.implementation, result.workload, "\(result.threads)",
                Self.format(result.opsPerSecond, places: 0),
                Self.format(result.nanosecondsPerOp, places: 1),
                Self.format(1e9 / result.cpuOpsPerSecond, places: 1),
                result.hitRate.map { Self.format($0, places: 4) } ?? "-",
                "\(result.failedOperations)",
            ])
        }
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                // Text columns left-aligned, figures right-aligned.
                parts.append(index < 2 ? cell + pad : pad + cell)
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text + "\n"
        }
        var text = line(headers)
        text += line(widths.map { String(repeating: "-", count: $0) })
        for row in rows { text += line(row) }
        text += "capacity \(capacity), \(runs) runs per workload (medians); "
        text += "Zipf static-optimal hit rate \(Self.format(zipfStaticOptimalHitRate, places: 4))"
        text += interrupted ? "; interrupted\n" : "\n"
        return text
    }

    private static func format(_ value: Double, places: Int) -> String {
        value.isFinite ? DecimalNumber.format(value, places: places) : "-"
    }
}
