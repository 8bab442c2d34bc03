/// How much a cumulative counter grew between two samples, with resets
/// handled as Prometheus' `rate()` and `increase()` handle them.
///
/// A counter only goes up while its process lives. When a sample is lower
/// than the one before, the process restarted and counted again from 0, so
/// the growth over that interval is the new value itself (what it counted
/// since the restart); the counts between the last sample before the
/// restart and the restart itself are lost, as they are to Prometheus.
/// Unlike `rate()`, nothing is extrapolated to the edges of a window: the
/// intervals are the ones between stored samples.
public enum CounterIncrease {
    /// The growth from `previous` to `current`, and whether a reset was seen.
    public static func between(_ previous: UInt64, _ current: UInt64) -> (increase: UInt64, reset: Bool) {
        current >= previous ? (current - previous, false) : (current, true)
    }

    /// The growth over each interval of `samples` (one entry fewer than the
    /// samples), resets handled.
    public static func intervals(_ samples: [UInt64]) -> [(increase: UInt64, reset: Bool)] {
        guard samples.count > 1 else { return [] }
        return (1..<samples.count).map { Self.between(samples[$0 - 1], samples[$0]) }
    }

    /// The total growth over `samples`, resets handled: the sum of the
    /// intervals, as `increase()` over the whole range without extrapolation.
    public static func total(_ samples: [UInt64]) -> UInt64 {
        Self.intervals(samples).reduce(0) { $0 &+ $1.increase }
    }
}
