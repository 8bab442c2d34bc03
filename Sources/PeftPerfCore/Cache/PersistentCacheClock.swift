#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The clocks the persistent cache keeps time with.
///
/// Entries are shared between processes, so their age and expiry cannot use
/// one process's monotonic clock alone. On Linux every process of one boot
/// shares `CLOCK_BOOTTIME` (monotonic, and it keeps counting through
/// suspend), so an entry written during the current boot is aged on it, and
/// NTP steps or a changed wall clock never bend a TTL. Only an entry written
/// before the last reboot, when no monotonic clock is shared any more, is
/// aged on the wall clock. The boot is identified by the kernel's random
/// `boot_id`; where it is unavailable (non-Linux), the wall clock is used.
public struct PersistentCacheClock: Sendable {
    /// Nanoseconds on the boot-wide monotonic clock.
    public var bootNanoseconds: @Sendable () -> Int64
    /// Nanoseconds since the Unix epoch (wall clock).
    public var wallNanoseconds: @Sendable () -> Int64
    /// Identifies the current boot; 0 means unknown (always use wall time).
    public var bootID: Int64

    public init(
        bootNanoseconds: @escaping @Sendable () -> Int64,
        wallNanoseconds: @escaping @Sendable () -> Int64,
        bootID: Int64
    ) {
        self.bootNanoseconds = bootNanoseconds
        self.wallNanoseconds = wallNanoseconds
        self.bootID = bootID
    }

    /// The real clocks of this machine.
    public static let system = PersistentCacheClock(
        bootNanoseconds: { read(clockID: bootClockID) },
        wallNanoseconds: { read(clockID: CLOCK_REALTIME) },
        bootID: currentBootID())

    #if os(Linux)
        private static let bootClockID = CLOCK_BOOTTIME
    #else
        private static let bootClockID = CLOCK_MONOTONIC
    #endif

    private static func read(clockID: clockid_t) -> Int64 {
        var ts = timespec()
        clock_gettime(clockID, &ts)
        return Int64(ts.tv_sec) &* 1_000_000_000 &+ Int64(ts.tv_nsec)
    }

    /// The first 64 bits of `/proc/sys/kernel/random/boot_id` (a UUID that
    /// changes at every boot), or 0 where there is none.
    static func currentBootID() -> Int64 {
        #if os(Linux)
            let fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return 0 }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return 0 }
            return parseBootID(buffer[..<count])
        #else
            return 0
        #endif
    }

    /// The first 16 hex digits of a UUID text, as a bit pattern; 0 if there
    /// are fewer.
    static func parseBootID(_ bytes: some Collection<UInt8>) -> Int64 {
        var value: UInt64 = 0
        var digits = 0
        for byte in bytes where digits < 16 {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: continue
            }
            value = value << 4 | UInt64(nibble)
            digits += 1
        }
        return digits == 16 ? Int64(bitPattern: value) : 0
    }
}
