#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Disk usage of the file system holding a path, as psutil's `disk_usage()`.
///
/// - total = f_blocks × f_frsize
/// - used = (f_blocks − f_bfree) × f_frsize
/// - free = f_bavail × f_frsize (what non-root users can still write)
/// - percent = used / (used + free), so root's reserved blocks count neither
///   as used nor as free, which is why it reads about 5 points below `df`'s
///   Use% on ext4.
public struct DiskUsage: Sendable, Equatable {
    public let totalBytes: UInt64
    public let usedBytes: UInt64
    public let freeBytes: UInt64

    /// Computes usage from the `statvfs` fields.
    public init(blocks: UInt64, freeBlocks: UInt64, availableBlocks: UInt64, fragmentSize: UInt64) {
        self.totalBytes = blocks &* fragmentSize
        self.usedBytes = (blocks >= freeBlocks ? blocks - freeBlocks : 0) &* fragmentSize
        self.freeBytes = availableBlocks &* fragmentSize
    }

    /// used / (used + free) × 100, rounded as psutil rounds (0 for an empty
    /// file system).
    public var percent: Double {
        let userTotal = Double(self.usedBytes) + Double(self.freeBytes)
        guard userTotal != 0 else { return 0 }
        return PythonRounding.round((Double(self.usedBytes) / userTotal) * 100, places: 1)
    }

    /// used / (used + free), from 0 to 1, unrounded.
    public var ratio: Double {
        let userTotal = Double(self.usedBytes) + Double(self.freeBytes)
        return userTotal == 0 ? 0 : Double(self.usedBytes) / userTotal
    }

    /// Calls `statvfs(3)` on `path`.
    ///
    /// Related documentation: <https://man7.org/linux/man-pages/man3/statvfs.3.html>
    ///
    /// - Throws: ``SystemMetricsError`` (`.diskPath`) when the path does not
    ///   exist, cannot be reached, or is empty.
    public static func measure(path: String) throws(SystemMetricsError) -> DiskUsage {
        guard !path.isEmpty else {
            throw SystemMetricsError(.diskPath, "disk path is empty")
        }
        var info = statvfs()
        guard statvfs(path, &info) == 0 else {
            let code = errno
            let reason: String
            switch code {
            case ENOENT: reason = "no such file or directory"
            case EACCES: reason = "permission denied"
            case ENOTDIR: reason = "a component of the path is not a directory"
            case ELOOP: reason = "too many symbolic links"
            case ENAMETOOLONG: reason = "the path is too long"
            default: reason = String(cString: strerror(code))
            }
            throw SystemMetricsError(.diskPath, "cannot read disk usage of '\(path)': \(reason)")
        }
        return DiskUsage(
            blocks: UInt64(info.f_blocks), freeBlocks: UInt64(info.f_bfree),
            availableBlocks: UInt64(info.f_bavail), fragmentSize: UInt64(info.f_frsize))
    }
}
