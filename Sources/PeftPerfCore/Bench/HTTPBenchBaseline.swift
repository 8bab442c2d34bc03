#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Comparison of a run with `--baseline FILE`, the JSON of an earlier run.
///
/// Fails when p99 latency rose, or requests/s fell, by more than the allowed
/// regression (default 10%).
public struct HTTPBenchBaseline: Sendable, Encodable {
    public struct Change: Sendable, Encodable {
        public let baseline: Double?
        public let current: Double?
        /// Relative change, (current - baseline) / baseline; nil if either is missing.
        public let change: Double?
        public let passed: Bool
    }

    public let file: String
    public let maxRegression: Double
    public let p99Seconds: Change
    public let rps: Change
    public var passed: Bool { self.p99Seconds.passed && self.rps.passed }

    enum CodingKeys: String, CodingKey {
        case file, maxRegression, p99Seconds, rps, passed
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.file, forKey: .file)
        try c.encode(self.maxRegression, forKey: .maxRegression)
        try c.encode(self.p99Seconds, forKey: .p99Seconds)
        try c.encode(self.rps, forKey: .rps)
        try c.encode(self.passed, forKey: .passed)
    }

    /// The figures read from a baseline file.
    public struct Figures: Sendable, Equatable {
        public var p99Seconds: Double?
        public var rps: Double?
    }

    /// Compares `current` with `baseline`.
    public init(file: String, baseline: Figures, current: HTTPBenchStatistics, maxRegression: Double) {
        self.file = file
        self.maxRegression = maxRegression
        func change(_ base: Double?, _ now: Double?) -> Double? {
            guard let base, let now, base > 0 else { return nil }
            return (now - base) / base
        }
        let p99Change = change(baseline.p99Seconds, current.latencySeconds.p99)
        let rpsChange = change(baseline.rps, current.rps)
        // A figure the baseline lacks cannot regress; one the run lacks can.
        self.p99Seconds = Change(
            baseline: baseline.p99Seconds, current: current.latencySeconds.p99, change: p99Change,
            passed: !((baseline.p99Seconds ?? 0) > 0) || (p99Change.map { $0 <= maxRegression + 1e-12 } ?? false))
        self.rps = Change(
            baseline: baseline.rps, current: current.rps, change: rpsChange,
            passed: !((baseline.rps ?? 0) > 0) || (rpsChange.map { -$0 <= maxRegression + 1e-12 } ?? false))
    }
}
