/// The fields of `/proc/meminfo` that psutil's `virtual_memory()` needs, in bytes.
///
/// Each line reads `Name:   value kB`; psutil multiplies every value by
/// 1024. Lines that do not parse are skipped, so a new or odd kernel field
/// never breaks the report; only `MemTotal` and `MemFree` are required.
///
/// Related documentation: <https://man7.org/linux/man-pages/man5/proc_meminfo.5.html>
public struct MemoryInfo: Sendable, Equatable {
    public var totalBytes: UInt64
    public var freeBytes: UInt64
    /// `MemAvailable` (kernel 3.14+).
    public var availableBytes: UInt64?
    public var cachedBytes: UInt64?
    public var activeFileBytes: UInt64?
    public var inactiveFileBytes: UInt64?
    public var slabReclaimableBytes: UInt64?

    public init(
        totalBytes: UInt64, freeBytes: UInt64, availableBytes: UInt64? = nil, cachedBytes: UInt64? = nil,
        activeFileBytes: UInt64? = nil, inactiveFileBytes: UInt64? = nil, slabReclaimableBytes: UInt64? = nil
    ) {
        self.totalBytes = totalBytes
        self.freeBytes = freeBytes
        self.availableBytes = availableBytes
        self.cachedBytes = cachedBytes
        self.activeFileBytes = activeFileBytes
        self.inactiveFileBytes = inactiveFileBytes
        self.slabReclaimableBytes = slabReclaimableBytes
    }

    /// Parses the text of `/proc/meminfo`.
    ///
    /// - Throws: ``SystemMetricsError`` (`.malformed`) when `MemTotal` or
    ///   `MemFree` is missing.
    public static func parse(procMeminfo text: some StringProtocol) throws(SystemMetricsError) -> MemoryInfo {
        var total: UInt64?
        var free: UInt64?
        var info = MemoryInfo(totalBytes: 0, freeBytes: 0)
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            var words = line.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
                .makeIterator()
            guard let name = words.next(), let word = words.next(),
                let kib = CPUTimes.parseUnsigned(word)
            else { continue }
            let (bytes, overflow) = kib.multipliedReportingOverflow(by: 1024)
            guard !overflow else { continue }
            switch String(decoding: name, as: UTF8.self) {
            case "MemTotal:": total = bytes
            case "MemFree:": free = bytes
            case "MemAvailable:": info.availableBytes = bytes
            case "Cached:": info.cachedBytes = bytes
            case "Active(file):": info.activeFileBytes = bytes
            case "Inactive(file):": info.inactiveFileBytes = bytes
            case "SReclaimable:": info.slabReclaimableBytes = bytes
            default: continue
            }
        }
        guard let total, let free else {
            throw SystemMetricsError(.malformed, "/proc/meminfo has no MemTotal or MemFree line")
        }
        info.totalBytes = total
        info.freeBytes = free
        return info
    }

    /// Whether ``available(lowWatermarkBytes:)`` needs `/proc/zoneinfo`:
    /// `MemAvailable` is missing or 0 and the kernel has the LRU fields.
    public var needsZoneInfo: Bool {
        (self.availableBytes ?? 0) == 0 && self.activeFileBytes != nil && self.inactiveFileBytes != nil
            && self.slabReclaimableBytes != nil
    }

    /// Available memory as psutil computes it.
    ///
    /// `MemAvailable` when present and non-zero; otherwise psutil's
    /// re-implementation of the kernel estimate (which needs the sum of the
    /// zones' low watermarks, or falls back to free + cached). The result is
    /// then clamped: below 0 becomes 0, above total becomes free (as procps
    /// does inside LXC containers).
    ///
    /// - Parameter lowWatermarkBytes: the sum of `/proc/zoneinfo`'s `low`
    ///   lines times the page size, or nil when it could not be read.
    public func available(lowWatermarkBytes: UInt64? = nil) -> UInt64 {
        var available: Int64
        if let reported = self.availableBytes, reported != 0 {
            available = Int64(clamping: reported)
        } else {
            available = self.estimatedAvailable(lowWatermarkBytes: lowWatermarkBytes)
        }
        if available < 0 { available = 0 }
        if available > Int64(clamping: self.totalBytes) { return self.freeBytes }
        return UInt64(available)
    }

    /// psutil's `calculate_avail_vmem` for kernels before 3.14.
    func estimatedAvailable(lowWatermarkBytes: UInt64?) -> Int64 {
        let free = Double(self.freeBytes)
        let fallback = Int64(clamping: self.freeBytes &+ (self.cachedBytes ?? 0))
        guard let activeFile = self.activeFileBytes, let inactiveFile = self.inactiveFileBytes,
            let slabReclaimable = self.slabReclaimableBytes, let lowWatermarkBytes
        else { return fallback }
        let low = Double(lowWatermarkBytes)
        var available = free - low
        var pageCache = Double(activeFile) + Double(inactiveFile)
        pageCache -= min(pageCache / 2, low)
        available += pageCache
        available += Double(slabReclaimable) - min(Double(slabReclaimable) / 2, low)
        // /proc text can hold anything; never trap converting it.
        guard available.isFinite, abs(available) < 9.0e18 else { return fallback }
        return Int64(available.rounded(.towardZero))
    }

    /// Sums the `low` watermarks (in pages) of `/proc/zoneinfo`.
    public static func lowWatermarkPages(procZoneinfo text: some StringProtocol) -> UInt64 {
        var pages: UInt64 = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            var words = line.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
                .makeIterator()
            guard let name = words.next(), name.elementsEqual("low".utf8), let word = words.next(),
                let value = CPUTimes.parseUnsigned(word)
            else { continue }
            pages &+= value
        }
        return pages
    }
}
