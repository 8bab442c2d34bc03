#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension HTTPClientOptions {
    /// Why `path` cannot be a file of trusted certificates (`--cacert`), or
    /// nil when it is a readable regular file.
    ///
    /// Checked with `stat` and `access`, without opening the file: opening a
    /// FIFO would block. libcurl reads the file itself and reports a file
    /// without certificates when the first transfer starts.
    public static func caCertificateProblem(path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return "cannot read '\(path)': \(String(cString: strerror(errno)))"
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return "'\(path)' is not a regular file" }
        guard access(path, R_OK) == 0 else { return "cannot read '\(path)': \(String(cString: strerror(errno)))" }
        return nil
    }
}
