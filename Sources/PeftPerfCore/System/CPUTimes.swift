/// The aggregate CPU times of `/proc/stat`'s first line, in clock ticks.
///
/// The line reads `cpu  user nice system idle iowait irq softirq steal guest
/// guest_nice`. Kernels before 2.6.11 print fewer fields (no steal, guest or
/// guest_nice; 2.4 kernels stop after idle). Like psutil, at most ten fields
/// are used and later ones are ignored; a missing field is absent, not zero,
/// which makes no difference to any figure computed from it.
///
/// Related documentation: <https://man7.org/linux/man-pages/man5/proc_stat.5.html>
public struct CPUTimes: Sendable, Equatable {
    /// The names of the fields, in `/proc/stat` order.
    public static let fieldNames = [
        "user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal", "guest", "guest_nice",
    ]

    /// Index of each field in ``ticks``.
    enum Field: Int {
        case user = 0
        case nice, system, idle, iowait, irq, softirq, steal, guest, guestNice
    }

    /// The counters present on the line, 4 to 10 of them, in ticks (`USER_HZ`).
    public let ticks: [UInt64]

    /// Wraps counters already read; `ticks` must hold 4 to 10 values.
    public init?(ticks: [UInt64]) {
        guard (4...10).contains(ticks.count) else { return nil }
        self.ticks = ticks
    }

    /// Parses the first line of `/proc/stat`.
    ///
    /// - Parameter procStat: the file's text; only the first line is read.
    /// - Throws: ``SystemMetricsError`` (`.malformed`) when the first line is
    ///   not `cpu` followed by at least four unsigned integers.
    public static func parse(procStat: some StringProtocol) throws(SystemMetricsError) -> CPUTimes {
        let firstLine = procStat.utf8.prefix { $0 != UInt8(ascii: "\n") }
        var words = firstLine.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            .makeIterator()
        guard let label = words.next(), label.elementsEqual("cpu".utf8) else {
            throw SystemMetricsError(.malformed, "/proc/stat does not start with a 'cpu' line")
        }
        var ticks: [UInt64] = []
        ticks.reserveCapacity(10)
        while ticks.count < 10, let word = words.next() {
            guard let value = parseUnsigned(word) else {
                throw SystemMetricsError(
                    .malformed,
                    "/proc/stat: the 'cpu' line has a non-numeric field '\(String(decoding: word, as: UTF8.self).prefix(40))'"
                )
            }
            ticks.append(value)
        }
        guard let times = CPUTimes(ticks: ticks) else {
            throw SystemMetricsError(
                .malformed, "/proc/stat: the 'cpu' line has \(ticks.count) fields, expected at least 4")
        }
        return times
    }

    /// The counter `field`, or nil when this kernel does not report it.
    func value(_ field: Field) -> UInt64? {
        field.rawValue < self.ticks.count ? self.ticks[field.rawValue] : nil
    }

    /// Parses decimal digits into a UInt64; nil on anything else or overflow.
    static func parseUnsigned(_ bytes: some Collection<UInt8>) -> UInt64? {
        guard !bytes.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = sum
        }
        return value
    }
}
