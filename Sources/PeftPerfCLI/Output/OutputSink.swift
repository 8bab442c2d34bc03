#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import PeftPerfCore

/// Where a report goes: stdout, or the path an output option names. Every
/// path the tool writes (`-o`, `--junit`, `--markdown`) goes through here.
///
/// The path is examined and opened before the command runs, so that a bad path
/// fails early (as hyperfine's exporters do). How it is written depends on
/// what it names (``OutputTarget``):
/// - a regular file, or nothing yet: the report goes to a temporary file in
///   the same directory (a symlink's target's directory), flushed with `fsync`
///   and renamed over the file only when the command finishes, so that a
///   reader such as node_exporter's textfile collector never sees half a
///   file. An existing file's mode is kept, and as root its owner too; a new
///   one gets 0644. The temporary file is removed on failure, and by the
///   signal handlers on SIGTERM, SIGHUP and a second Ctrl-C (not on
///   `kill -9`, which cannot be caught).
/// - `-`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`: a `dup` of the inherited
///   descriptor.
/// - a FIFO: opened with `O_NONBLOCK`, retried until `--timeout`, then written
///   as it goes.
/// - a device or other special file: opened for writing and written in
///   place, never replaced nor truncated.
final class OutputSink {
    /// The option's long name, for messages: "output", "junit".
    let option: String
    /// The path as given; nil for stdout.
    let path: String?
    /// Whether any text was written.
    private(set) var hasWritten = false

    private var descriptor: Int32 = -1
    /// For an atomic replacement: the temporary file and the file it replaces.
    private var replacement: (temporary: String, final: String, token: PendingFileRemoval.Token?)?

    /// Prepares the output `path` of `--option`, or stdout when `path` is nil.
    ///
    /// - Parameters:
    ///   - timeoutSeconds: How long to wait for a FIFO's reader (`--timeout`).
    /// - Throws: ``UsageError`` for a directory, ``OutputPathError`` for a path
    ///   that cannot be written.
    init(path: String?, option: String = "output", timeoutSeconds: Double) throws {
        self.path = path
        self.option = option
        guard let path else { return }
        switch try OutputTarget.resolve(path, option: option) {
        case .descriptor(let inherited):
            let copy = fcntl(inherited, F_DUPFD_CLOEXEC, 3)
            guard copy >= 0 else {
                throw OutputPathError(
                    option: option, path: path, problem: "not an open descriptor", code: errno)
            }
            self.descriptor = copy
        case .newFile(let final):
            try self.createTemporaryFile(replacing: final, keeping: nil)
        case .regularFile(let final, let mode, let owner, let group):
            // A rename replaces even a file we may not write; refuse, as `>` would.
            if faccessat(AT_FDCWD, final, W_OK, AT_EACCESS) != 0 {
                throw OutputPathError(option: option, path: path, problem: "cannot write", code: errno)
            }
            try self.createTemporaryFile(replacing: final, keeping: (mode, owner, group))
        case .fifo(let fifo):
            self.descriptor = try self.openFIFO(fifo, timeoutSeconds: timeoutSeconds)
        case .special(let special):
            let fd = open(special, O_WRONLY | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else {
                throw OutputPathError(option: option, path: path, problem: "cannot open", code: errno)
            }
            self.descriptor = fd
            try self.expectSpecialFile(fd)
        }
    }

    deinit {
        self.discard()
    }

    /// Appends `text` to the report.
    func write(_ text: String) throws {
        self.hasWritten = true
        guard let path else {
            try StandardStream.output.writeAll(text)
            return
        }
        do {
            try StandardStream(descriptor: self.descriptor).writeAll(text)
        } catch let error as SystemError {
            throw OutputPathError(option: self.option, path: path, problem: "cannot write", code: error.code)
        }
    }

    /// Publishes the report: a temporary file is synced and renamed over its
    /// target; any other descriptor is closed.
    func commit() throws {
        guard let path else { return }
        guard let replacement else {
            self.closeDescriptor()
            return
        }
        if fsync(self.descriptor) != 0 {
            let code = errno
            self.discard()
            throw OutputPathError(option: self.option, path: path, problem: "cannot sync", code: code)
        }
        self.closeDescriptor()
        if rename(replacement.temporary, replacement.final) != 0 {
            let code = errno
            self.discard()
            throw OutputPathError(
                option: self.option, path: path, problem: "cannot write '\(replacement.final)'", code: code)
        }
        if let token = replacement.token { PendingFileRemoval.unregister(token) }
        self.replacement = nil
    }

    /// Removes the temporary file, if any; the target is left as it was.
    func discard() {
        self.closeDescriptor()
        if let replacement {
            unlink(replacement.temporary)
            if let token = replacement.token { PendingFileRemoval.unregister(token) }
            self.replacement = nil
        }
    }

    private func closeDescriptor() {
        if self.descriptor >= 0 {
            close(self.descriptor)
            self.descriptor = -1
        }
    }

    /// Creates the temporary file next to `final`, as `mkstemp` would (a new
    /// random name, `O_CREAT | O_EXCL`, mode 0600).
    ///
    /// The name is registered for removal on a fatal signal *before* the file
    /// exists: a signal is delivered to any thread (the loopback target's, a
    /// load worker's), so blocking it on this one cannot close the window in
    /// which a file made by `mkstemp` would still be unregistered.
    private func createTemporaryFile(replacing final: String, keeping existing: (mode_t, uid_t, gid_t)?) throws {
        let directory = OutputTarget.directory(of: final)
        let path = self.path ?? final
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var generator = SystemRandomNumberGenerator()
        var fd: Int32 = -1
        var code: Int32 = EEXIST
        var temporary = ""
        var token: PendingFileRemoval.Token? = nil
        // 62^12 names: a collision is all but impossible, so a few tries suffice.
        for _ in 0..<100 where code == EEXIST {
            let suffix = String((0..<12).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
            temporary = "\(directory)/.peft-perf-output.\(suffix)"
            token = PendingFileRemoval.register(temporary)
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            code = fd >= 0 ? 0 : errno
            if fd < 0, let registered = token {
                PendingFileRemoval.unregister(registered)
                token = nil
            }
        }
        guard fd >= 0 else {
            throw OutputPathError(
                option: self.option, path: path, problem: "cannot create a file in '\(directory)'", code: code)
        }
        self.descriptor = fd
        self.replacement = (temporary, final, token)
        if let (mode, owner, group) = existing {
            // chown first: it clears the set-user-ID and set-group-ID bits.
            if geteuid() == 0 {
                if fchown(fd, owner, group) != 0 {
                    let code = errno
                    self.discard()
                    throw OutputPathError(
                        option: self.option, path: path, problem: "cannot keep the owner of '\(final)'", code: code)
                }
            } else if group != getegid() {
                // Keeping the group is allowed when we are a member of it; else
                // the new file has ours, as with any rewrite by another user.
                _ = fchown(fd, uid_t.max, group)
            }
            if fchmod(fd, mode) != 0 {
                let code = errno
                self.discard()
                throw OutputPathError(
                    option: self.option, path: path, problem: "cannot keep the mode of '\(final)'", code: code)
            }
        } else {
            // mkstemp creates 0600; a report is not secret, and the textfile
            // collector may run as another user.
            fchmod(fd, 0o644)
        }
    }

    /// Opens a FIFO for writing. A plain `open` blocks until a reader comes,
    /// possibly forever; with `O_NONBLOCK` it fails with `ENXIO` instead, and
    /// is retried with short sleeps until `timeoutSeconds` or Ctrl-C.
    private func openFIFO(_ fifo: String, timeoutSeconds: Double) throws -> Int32 {
        let path = self.path ?? fifo
        let start = MonotonicClock.nanoseconds()
        var pause = 0.005
        while true {
            let fd = open(fifo, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
            if fd >= 0 {
                self.descriptor = fd
                // Writes block again from here, as on any pipe.
                let flags = fcntl(fd, F_GETFL)
                if flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 {
                    throw OutputPathError(option: self.option, path: path, problem: "cannot open", code: errno)
                }
                try self.expectSpecialFile(fd)
                self.descriptor = -1
                return fd
            }
            let code = errno
            if code == EINTR { continue }
            guard code == ENXIO else {
                throw OutputPathError(option: self.option, path: path, problem: "cannot open", code: code)
            }
            if InterruptFlag.isRaised {
                throw OutputPathError(
                    option: self.option, path: path, problem: "interrupted while waiting for a reader")
            }
            let remaining = timeoutSeconds - MonotonicClock.seconds(since: start)
            guard remaining > 0 else {
                throw OutputPathError(
                    option: self.option, path: path,
                    problem:
                        "no process opened the FIFO for reading within "
                        + "\(DurationParser.format(seconds: timeoutSeconds)) (--timeout)")
            }
            usleep(useconds_t(min(pause, remaining) * 1_000_000))
            pause = min(pause * 2, 0.1)
        }
    }

    /// Checks that what was opened in place is still not a regular file nor a
    /// directory: the path may have been replaced after it was examined, and
    /// a regular file must not be written over without the rename.
    private func expectSpecialFile(_ fd: Int32) throws {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw OutputPathError(option: self.option, path: self.path ?? "", problem: "cannot open", code: errno)
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFREG || kind == S_IFDIR {
            throw OutputPathError(
                option: self.option, path: self.path ?? "", problem: "the file changed while it was being opened")
        }
    }
}
