import Testing

@testable import PeftPerfCore

/// psutil's arithmetic on crafted samples. Every expected value below was
/// printed by psutil 7.2.2 itself (`_cpu_times_deltas`, `_cpu_tot_time`,
/// `_cpu_busy_time` and `round(…, 1)` on the same tick counts, CLK_TCK 100).
@Suite struct SystemArithmeticTests {
    static func times(_ ticks: [UInt64]) -> CPUTimes {
        CPUTimes(ticks: ticks)!
    }

    @Test(
        arguments: [
            // busy / total over a plain window: (50 + 50) / 1000
            ([100, 0, 100, 800, 0, 0, 0, 0, 0, 0], [150, 0, 150, 1700, 0, 0, 0, 0, 0, 0], 10.0),
            // guest and guest_nice are already inside user and nice: 45.0, not 56.0
            ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [300, 50, 100, 500, 50, 0, 0, 0, 200, 50], 45.0),
            // iowait went backwards (psutil issue 1210): clamped to 0, so 50.0, not 55.6
            ([10, 0, 10, 100, 100, 0, 0, 0, 0, 0], [60, 0, 10, 150, 90, 0, 0, 0, 0, 0], 50.0),
            // 6.25 is a tie: half to even gives 6.2 (half away from zero: 6.3)
            ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [25, 0, 0, 375, 0, 0, 0, 0, 0, 0], 6.2),
            // 141/2000 × 100 is 7.050000000000001 in floating point: 7.1, although
            // (x × 10).rounded(.toNearestOrEven) / 10 says 7.0
            ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [141, 0, 0, 1859, 0, 0, 0, 0, 0, 0], 7.1),
            // short lines: 7 fields (no steal), 8 (steal), 9 (guest)
            ([1, 2, 3, 4, 5, 6, 7], [11, 12, 13, 24, 25, 16, 17], 55.6),
            ([1, 2, 3, 4, 5, 6, 7, 8], [11, 12, 13, 24, 25, 16, 17, 28], 63.6),
            ([1, 2, 3, 4, 5, 6, 7, 8, 9], [11, 12, 13, 24, 25, 16, 17, 28, 19], 63.6),
            // no time elapsed: 0, as psutil's ZeroDivisionError branch
            ([5, 5, 5, 5, 5, 5, 5], [5, 5, 5, 5, 5, 5, 5], 0.0),
        ] as [([UInt64], [UInt64], Double)])
    func cpuPercentMatchesPsutil(before: [UInt64], after: [UInt64], percent: Double) {
        let result = CPUUtilization.between(Self.times(before), Self.times(after))
        #expect(result.percent == percent)
    }

    @Test func sinceBootAveragesFromZero() {
        // psutil: calculate(zeros, cpu  4245 0 2469 50861 450 0 36 12 0 0) → 11.6
        let now = Self.times([4245, 0, 2469, 50861, 450, 0, 36, 12, 0, 0])
        let result = CPUUtilization.between(nil, now)
        #expect(result.percent == 11.6)
        #expect(abs(result.ratio - 0.11643965353951062) < 1e-15)
    }

    @Test func twoPointFourKernelWithoutIowaitStillWorks() {
        let result = CPUUtilization.between(Self.times([0, 0, 0, 0]), Self.times([10, 10, 10, 20]))
        #expect(result.percent == 60.0)
    }

    @Test func ratioStaysWithinZeroAndOne() {
        // A guest delta larger than the user delta would make busy negative.
        let result = CPUUtilization.between(
            Self.times([100, 0, 0, 0, 0, 0, 0, 0, 0, 0]), Self.times([101, 0, 0, 100, 0, 0, 0, 0, 50, 0]))
        #expect(result.ratio >= 0 && result.ratio <= 1)
    }

    // MARK: Python's round()

    @Test(arguments: [
        // (value, Python's round(value, 1))
        (0.15, 0.1),  // really 0.1499999…
        (0.25, 0.2),  // exact tie → even
        (0.35, 0.3),  // really 0.34999…
        (0.45, 0.5),  // really 0.45000…1
        (6.25, 6.2), (6.35, 6.3), (17.25, 17.2), (2.675, 2.7),
        (7.050000000000001, 7.1), (99.95, 100.0), (0.05, 0.1), (0.0, 0.0), (100.0, 100.0),
        (12.349999999999998, 12.3), (55.55555555555556, 55.6),
    ])
    func roundsLikePython(value: Double, expected: Double) {
        #expect(PythonRounding.round(value, places: 1) == expected)
    }

    @Test func roundsLikePythonAtOtherPlaces() {
        #expect(PythonRounding.round(2.675, places: 2) == 2.67)
        #expect(PythonRounding.round(0.125, places: 2) == 0.12)
        #expect(PythonRounding.round(0.375, places: 2) == 0.38)
        #expect(PythonRounding.round(2.5, places: 0) == 2)
        #expect(PythonRounding.round(3.5, places: 0) == 4)
    }

    // MARK: report assembly

    @Test func memoryFiguresFollowPsutilAndTheOriginalUnits() {
        let report = SystemReport(
            timestamp: "2026-01-01T00:00:00.000Z", cpu: .init(ratio: 0.5, percent: 50),
            cpuPercentBasis: .interval, cpuIntervalSeconds: 0.1, cpuCount: 2,
            memoryTotalBytes: 8 << 30, memoryAvailableBytes: 3 << 30, diskPath: "/",
            disk: DiskUsage(blocks: 1000, freeBlocks: 300, availableBlocks: 250, fragmentSize: 4096),
            load: LoadAverage(oneMinute: 1, fiveMinutes: 2, fifteenMinutes: 3))
        #expect(report.memoryUsedBytes == 5 << 30)
        #expect(report.memoryPercent == 62.5)  // (total − available) / total
        #expect(report.memoryUsedMB == 5120)  // bytes / 2^20
        #expect(report.memoryAvailableMB == 3072)
        #expect(report.diskUsedGB == Double(700 * 4096) / 1_073_741_824)
        #expect(report.diskFreeGB == Double(250 * 4096) / 1_073_741_824)
        #expect(report.diskPercent == 73.7)
        #expect(report.schemaVersion == 1)
    }
}
