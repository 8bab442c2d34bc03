import PeftPerfCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small text latency histogram for the terminal table view.
enum HTTPBenchHistogramBars {
    /// About `rows` lines `  1.20ms ▏████████  42.1%`, buckets spaced
    /// logarithmically between the min and the p99.9, with one last bucket for
    /// the tail up to the max.
    static func lines(_ histogram: HDRHistogram, rows: Int = 8, width: Int = 30) -> [String] {
        guard histogram.totalCount > 0, rows >= 2 else { return [] }
        let low = max(1, Double(histogram.minMicroseconds))
        let high = max(low, Double(histogram.value(atPercentile: 99.9) ?? histogram.maxMicroseconds))
        var edges: [UInt64] = []
        let ratio = high > low ? pow(high / low, 1 / Double(rows - 1)) : 1
        var edge = low
        for _ in 0..<(rows - 1) {
            edge *= ratio
            let value = UInt64(edge.rounded(.up))
            if edges.last.map({ value > $0 }) ?? true { edges.append(value) }
        }
        if let last = edges.last, histogram.maxMicroseconds > last { edges.append(histogram.maxMicroseconds) }
        var counts: [UInt64] = []
        var below: UInt64 = 0
        for e in edges {
            let cumulative = histogram.count(atOrBelow: e)
            counts.append(cumulative - min(cumulative, below))
            below = max(below, cumulative)
        }
        let total = Double(histogram.totalCount)
        let peak = Double(counts.max() ?? 1)
        var lines: [String] = []
        let labels = edges.map { "≤" + DurationParser.format(seconds: Double($0) / 1e6) }
        let labelWidth = labels.map(\.count).max() ?? 0
        for (label, count) in zip(labels, counts) {
            let bar = String(
                repeating: "█", count: peak > 0 ? Int((Double(count) / peak * Double(width)).rounded()) : 0)
            let pad = String(repeating: " ", count: labelWidth - label.count)
            lines.append(
                "\(pad)\(label) \(bar.isEmpty ? "▏" : bar) \(DecimalNumber.format(Double(count) / total * 100, places: 1))%"
            )
        }
        return lines
    }

    /// The bars as text, one line each.
    static func render(_ histogram: HDRHistogram) -> String {
        self.lines(histogram).joined(separator: "\n")
    }

    /// x^y without Foundation.
    static func pow(_ x: Double, _ y: Double) -> Double {
        guard x > 0 else { return 0 }
        #if canImport(Glibc)
            return Glibc.pow(x, y)
        #else
            return Darwin.pow(x, y)
        #endif
    }
}
