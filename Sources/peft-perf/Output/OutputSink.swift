#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a report goes: stdout, or a file written atomically.
///
/// With `--output FILE`, a temporary file is created in FILE's directory
/// before the command runs, so that a bad path fails early (as hyperfine's
/// exporters do). The report is written there, flushed with `fsync`, and
/// renamed over FILE only when the command finishes, so that a reader such as
/// node_exporter's textfile collector never sees half a file.
final class OutputSink {
    private let path: String?
    private var temporaryPath: String?
    private var descriptor: Int32 = -1

    init(path: String?) throws {
        self.path = path
        guard let path else { return }
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw UsageError("--output '\(path)' is a directory")
        }
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        var template = Array("\(directory)/.peft-perf-output.XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw SystemError(operation: "create a file in", path: directory, code: errno)
        }
        self.descriptor = fd
        self.temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // mkstemp creates 0600; a report is not secret, and the textfile
        // collector may run as another user.
        fchmod(fd, 0o644)
    }

    deinit {
        self.discard()
    }

    /// Appends `text` to the report.
    func write(_ text: String) throws {
        if self.path == nil {
            try StandardStream.output.writeAll(text)
        } else {
            try StandardStream(descriptor: self.descriptor).writeAll(text)
        }
    }

    /// Publishes the file: fsync, then rename over the target.
    func commit() throws {
        guard let path, let temporaryPath, self.descriptor >= 0 else { return }
        if fsync(self.descriptor) != 0 {
            throw SystemError(operation: "sync", path: path, code: errno)
        }
        close(self.descriptor)
        self.descriptor = -1
        if rename(temporaryPath, path) != 0 {
            let code = errno
            unlink(temporaryPath)
            self.temporaryPath = nil
            throw SystemError(operation: "write", path: path, code: code)
        }
        self.temporaryPath = nil
    }

    /// Removes the temporary file; the target is left as it was.
    func discard() {
        if self.descriptor >= 0 {
            close(self.descriptor)
            self.descriptor = -1
        }
        if let temporaryPath {
            unlink(temporaryPath)
            self.temporaryPath = nil
        }
    }
}
