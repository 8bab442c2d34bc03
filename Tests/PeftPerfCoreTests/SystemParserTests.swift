import Testing

@testable import PeftPerfCore

@Suite struct SystemParserTests {
    // MARK: /proc/stat

    @Test func parsesTheAggregateCPULineOfACurrentKernel() throws {
        let text = """
            cpu  4245 0 2469 50861 450 0 36 12 0 0
            cpu0 1522 0 996 26469 13 0 12 5 0 0
            intr 12345 0 0
            """
        let times = try CPUTimes.parse(procStat: text)
        #expect(times.ticks == [4245, 0, 2469, 50861, 450, 0, 36, 12, 0, 0])
    }

    @Test func keepsGuestFieldsAndIgnoresFieldsBeyondTen() throws {
        let times = try CPUTimes.parse(procStat: "cpu 1 2 3 4 5 6 7 8 9 10 11 12\ncpu0 1 2 3 4\n")
        #expect(times.ticks == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(times.value(.guest) == 9)
        #expect(times.value(.guestNice) == 10)
    }

    @Test(arguments: [
        ("cpu 1 2 3 4", 4),  // 2.4 kernels: no iowait
        ("cpu 1 2 3 4 5 6 7", 7),  // before 2.6.11: no steal
        ("cpu 1 2 3 4 5 6 7 8", 8),  // before 2.6.24: no guest
        ("cpu 1 2 3 4 5 6 7 8 9", 9),  // before 3.2: no guest_nice
        ("cpu\t1\t2 3  4 5\n", 5),  // tabs and repeated spaces
    ])
    func acceptsShortLinesFromOlderKernels(line: String, fields: Int) throws {
        let times = try CPUTimes.parse(procStat: line)
        #expect(times.ticks.count == fields)
        #expect(times.value(.guest) == (fields >= 9 ? 9 : nil))
    }

    @Test(arguments: [
        "", "\n", "cpu", "cpu 1 2 3", "cpu0 1 2 3 4 5 6 7", "intr 1 2 3 4 5", "cpu 1 2 x 4 5",
        "cpu -1 2 3 4 5", "cpu 1.5 2 3 4", "cpu 99999999999999999999 1 2 3", "\u{FEFF}cpu 1 2 3 4",
        "\ncpu 1 2 3 4 5",  // the aggregate line must be the first
        "garbage\u{0}\u{1}\u{2}",
    ])
    func rejectsGarbageWithAClearMessage(text: String) {
        #expect(throws: SystemMetricsError.self) { try CPUTimes.parse(procStat: text) }
        do {
            _ = try CPUTimes.parse(procStat: text)
        } catch {
            #expect(error.kind == .malformed)
            #expect(error.description.hasPrefix("/proc/stat"))
        }
    }

    @Test func reachesTheNumbersPastACPUCountOf256() throws {
        var text = "cpu  10 0 10 80 0 0 0 0 0 0\n"
        for cpu in 0..<256 { text += "cpu\(cpu) 1 0 1 8 0 0 0 0 0 0\n" }
        #expect(try CPUTimes.parse(procStat: text).ticks[3] == 80)
    }

    // MARK: /proc/meminfo

    static let meminfo = """
        MemTotal:        8039600 kB
        MemFree:          911316 kB
        MemAvailable:    5868212 kB
        Buffers:          190864 kB
        Cached:          4533960 kB
        SwapCached:            0 kB
        Active(file):    3000000 kB
        Inactive(file):  1200000 kB
        SReclaimable:     400000 kB
        HugePages_Total:       0
        Hugepagesize:       2048 kB
        """

    @Test func parsesMeminfoIntoBytes() throws {
        let info = try MemoryInfo.parse(procMeminfo: Self.meminfo)
        #expect(info.totalBytes == 8_039_600 * 1024)
        #expect(info.freeBytes == 911_316 * 1024)
        #expect(info.availableBytes == 5_868_212 * 1024)
        #expect(info.cachedBytes == 4_533_960 * 1024)
        #expect(info.available() == 5_868_212 * 1024)
        #expect(!info.needsZoneInfo)
    }

    @Test func skipsLinesThatDoNotParse() throws {
        let text = "garbage\nMemTotal: 1000 kB\nweird: x kB\n: 5\nMemFree: 100 kB\nMemAvailable:\n"
        let info = try MemoryInfo.parse(procMeminfo: text)
        #expect(info.totalBytes == 1_024_000)
        #expect(info.freeBytes == 102_400)
        #expect(info.availableBytes == nil)
    }

    @Test(arguments: ["", "MemFree: 10 kB", "MemTotal: 10 kB", "MemTotal: ten kB\nMemFree: 1 kB"])
    func requiresMemTotalAndMemFree(text: String) {
        #expect(throws: SystemMetricsError(.malformed, "/proc/meminfo has no MemTotal or MemFree line")) {
            try MemoryInfo.parse(procMeminfo: text)
        }
    }

    /// psutil's `calculate_avail_vmem` when MemAvailable is missing (kernels
    /// before 3.14) or reads 0 (psutil issue 1915).
    @Test(arguments: ["", "MemAvailable:          0 kB\n"])
    func estimatesAvailableMemoryLikePsutilWithoutMemAvailable(extra: String) throws {
        let text = """
            MemTotal:       1000000 kB
            MemFree:         100000 kB
            Cached:          300000 kB
            Active(file):    200000 kB
            Inactive(file):  100000 kB
            SReclaimable:     50000 kB

            """ + extra
        let info = try MemoryInfo.parse(procMeminfo: text)
        #expect(info.needsZoneInfo)
        let zoneinfo = """
            Node 0, zone      DMA
              pages free     3968
                    min      33
                    low      41
                    high     49
            Node 0, zone    DMA32
              pages free     100000
                    low      2000
                    lowmem_reserve[]: 0 0 0
            """
        let pages = MemoryInfo.lowWatermarkPages(procZoneinfo: zoneinfo)
        #expect(pages == 2041)
        // Python: free - low + (pc - min(pc/2, low)) + (sr - min(sr/2, low)), low = 2041 * 4096
        let low = 2041.0 * 4096
        let free = 100_000.0 * 1024
        let pageCache = 300_000.0 * 1024
        let slab = 50_000.0 * 1024
        let expected = free - low + (pageCache - min(pageCache / 2, low)) + (slab - min(slab / 2, low))
        #expect(info.available(lowWatermarkBytes: 2041 * 4096) == UInt64(expected))
        // Without /proc/zoneinfo psutil falls back to free + cached.
        #expect(info.available(lowWatermarkBytes: nil) == 400_000 * 1024)
    }

    @Test func availableAboveTotalFallsBackToFreeAsInsideContainers() {
        let info = MemoryInfo(totalBytes: 1000, freeBytes: 300, availableBytes: 5000)
        #expect(info.available() == 300)
    }

    // MARK: /proc/loadavg

    @Test func parsesLoadAverages() throws {
        let load = try LoadAverage.parse(procLoadavg: "0.30 0.21 0.09 1/87 6525\n")
        #expect(load == LoadAverage(oneMinute: 0.30, fiveMinutes: 0.21, fifteenMinutes: 0.09))
        #expect(try LoadAverage.parse(procLoadavg: "12.00 100.50 0.00").fifteenMinutes == 0)
    }

    @Test(arguments: ["", "0.30 0.21", "0.30 nan 0.09 1/87 1", "a b c", "-1.0 0 0 1/1 1", "1e3 1 1 1/1 1"])
    func rejectsMalformedLoadAverages(text: String) {
        #expect(throws: SystemMetricsError.self) { try LoadAverage.parse(procLoadavg: text) }
    }

    // MARK: statvfs arithmetic

    @Test func diskUsageFollowsPsutil() {
        // 1000 blocks of 4 KiB, 300 free of which 250 available to users.
        let disk = DiskUsage(blocks: 1000, freeBlocks: 300, availableBlocks: 250, fragmentSize: 4096)
        #expect(disk.totalBytes == 4_096_000)
        #expect(disk.usedBytes == 700 * 4096)
        #expect(disk.freeBytes == 250 * 4096)
        // used / (used + avail) = 700 / 950 = 73.68… → 73.7, not 700 / 1000.
        #expect(disk.percent == 73.7)
        #expect(abs(disk.ratio - 700.0 / 950.0) < 1e-15)
        #expect(DiskUsage(blocks: 0, freeBlocks: 0, availableBlocks: 0, fragmentSize: 4096).percent == 0)
    }

    @Test func missingDiskPathIsAClearError() {
        do {
            _ = try DiskUsage.measure(path: "/definitely/not/here")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .diskPath)
            #expect(error.description == "cannot read disk usage of '/definitely/not/here': no such file or directory")
        }
        #expect(throws: SystemMetricsError.self) { try DiskUsage.measure(path: "") }
    }

    @Test func timestampIsISO8601UTC() {
        #expect(HostInfo.iso8601UTC(seconds: 0, milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(HostInfo.iso8601UTC(seconds: 1_796_083_200 + 3723, milliseconds: 45) == "2026-12-01T01:02:03.045Z")
        let now = HostInfo.timestampUTC()
        #expect(now.count == 24 && now.hasSuffix("Z"))
    }

    /// Random bytes and mutated real files never crash a parser (a libFuzzer
    /// run of the same parsers found nothing in 180k inputs; this keeps a
    /// deterministic slice of it in the suite).
    @Test func randomAndMutatedInputsNeverCrash() {
        var generator = SystemLinearCongruential(seed: 7)
        let seeds = ["cpu  4245 0 2469 50861 450 0 36 12 0 0\n", Self.meminfo, "0.30 0.21 0.09 1/87 6525\n"]
        for round in 0..<3000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0..<(1 + Int(generator.next() % 6)) {
                let position = Int(generator.next() % UInt64(bytes.count + 1))
                let byte = UInt8(truncatingIfNeeded: generator.next())
                switch generator.next() % 3 {
                case 0 where position < bytes.count: bytes[position] = byte
                case 1 where position < bytes.count: bytes.remove(at: position)
                default: bytes.insert(byte, at: position)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if let times = try? CPUTimes.parse(procStat: text) {
                #expect((4...10).contains(times.ticks.count))
                let ratio = CPUUtilization.between(nil, times).ratio
                #expect(ratio >= 0 && ratio <= 1)
            }
            if let info = try? MemoryInfo.parse(procMeminfo: text) {
                #expect(info.available() <= max(info.totalBytes, info.freeBytes))
            }
            if let load = try? LoadAverage.parse(procLoadavg: text) {
                #expect(load.oneMinute >= 0 && load.oneMinute.isFinite)
            }
        }
    }
}
