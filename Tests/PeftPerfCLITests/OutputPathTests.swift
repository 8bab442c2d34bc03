import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Output paths never replace what is already there (issue 12, section 1).
///
/// Every option that writes a file (`-o`, `--junit`, `--markdown`) meets every
/// kind of target, each made by the test in its own scratch directory: only a
/// regular file or a new path is replaced by a rename; a symlink is written
/// through and stays a link; a device stays a device; a FIFO keeps its reader
/// (or, without one, fails after `--timeout`); a directory is refused naming
/// the option; `-`, `/dev/stdout`, `/dev/fd/1` write to the inherited
/// descriptor. No `.peft-perf-output.*` file is ever left behind, even on
/// SIGINT, SIGTERM and SIGHUP. The real `/dev` is never written: the spellings
/// that name it are run as nobody, who cannot create anything there.
@Suite struct OutputPathTests {
    /// An option that writes a report to a path, and a quick run that uses it.
    enum Flag: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case output, junit, markdown

        /// The command line that writes its report to `path` through this option.
        func arguments(_ path: String) -> [String] {
            switch self {
            case .output:
                return ["system", "--json", "--interval", "0", "-o", path]
            case .junit, .markdown:
                // The built-in loopback target, 20 requests on one connection.
                return ["bench", "--suite", "http", "-n", "20", "-c", "1", "-t", "1", "--\(self.rawValue)", path]
            }
        }

        /// Text every report of this option contains.
        var marker: String {
            switch self {
            case .output: return "\"schema_version\""
            case .junit: return "<testsuites"
            case .markdown: return "## peft-perf bench"
            }
        }

        var testDescription: String { "--\(self.rawValue)" }
    }

    /// What the path names before the run.
    enum Target: String, CaseIterable, Sendable {
        case newPath, regularFile, symlinkToFile, danglingSymlink, fifoWithReader, fifoWithoutReader, directory
    }

    static let temporaryPrefix = ".peft-perf-output."

    /// The temporary files left in `directory`.
    static func leftovers(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
            $0.hasPrefix(temporaryPrefix)
        }
    }

    /// `lstat` of `path`, or nil when there is nothing there.
    static func status(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    static func kind(_ path: String) -> mode_t? {
        self.status(path).map { $0.st_mode & S_IFMT }
    }

    static func contents(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// Everything a FIFO's read end holds once its writer is gone.
    static func drain(_ fd: Int32) -> String {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        // Bounded: a pipe holds at most a few pages, then read returns 0 or EAGAIN.
        for _ in 0..<1_000 {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            data += buffer[..<n]
        }
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: Flag.allCases, Target.allCases)
    func writesOnlyAsTheTargetAllows(flag: Flag, target: Target) throws {
        let directory = try ScratchRoot.directory().path
        let path = directory + "/report"
        let old = "an earlier report\n"
        var reader: Int32 = -1
        defer { if reader >= 0 { close(reader) } }
        var extra: [String] = []
        switch target {
        case .newPath:
            break
        case .regularFile:
            try old.write(toFile: path, atomically: false, encoding: .utf8)
            chmod(path, 0o640)
            if getuid() == 0 { chown(path, 1234, 5678) }
        case .symlinkToFile:
            try old.write(toFile: directory + "/target", atomically: false, encoding: .utf8)
            symlink("target", path)
        case .danglingSymlink:
            symlink("target", path)
        case .fifoWithReader:
            try #require(mkfifo(path, 0o600) == 0)
            // Opened without a writer first, so the test never blocks.
            reader = open(path, O_RDONLY | O_NONBLOCK)
            try #require(reader >= 0)
        case .fifoWithoutReader:
            try #require(mkfifo(path, 0o600) == 0)
            extra = ["--timeout", "300ms"]
        case .directory:
            try #require(mkdir(path, 0o755) == 0)
        }

        let result = try CLIHarness.run(flag.arguments(path) + extra, timeout: 120)
        let context = "\(flag.testDescription) \(target): \(result.stderr)"
        #expect(!result.signaled, "\(context)")
        #expect(Self.leftovers(in: directory).isEmpty, "\(context)")

        switch target {
        case .newPath:
            #expect(result.status == 0, "\(context)")
            #expect(Self.kind(path) == S_IFREG)
            #expect(Self.status(path).map { $0.st_mode & 0o7777 } == 0o644)
            #expect(Self.contents(path).contains(flag.marker))
        case .regularFile:
            #expect(result.status == 0, "\(context)")
            let info = try #require(Self.status(path))
            #expect(info.st_mode & S_IFMT == S_IFREG)
            #expect(info.st_mode & 0o7777 == 0o640, "the mode was not kept")
            if getuid() == 0 {
                #expect(info.st_uid == 1234 && info.st_gid == 5678, "the owner was not kept")
            }
            #expect(Self.contents(path).contains(flag.marker))
        case .symlinkToFile:
            #expect(result.status == 0, "\(context)")
            #expect(Self.kind(path) == S_IFLNK, "the symlink was replaced")
            #expect(Self.contents(directory + "/target").contains(flag.marker))
        case .danglingSymlink:
            #expect(result.status == 0, "\(context)")
            #expect(Self.kind(path) == S_IFLNK, "the symlink was replaced")
            #expect(Self.kind(directory + "/target") == S_IFREG)
            #expect(Self.contents(directory + "/target").contains(flag.marker))
        case .fifoWithReader:
            #expect(result.status == 0, "\(context)")
            #expect(Self.kind(path) == S_IFIFO, "the FIFO was replaced")
            #expect(Self.drain(reader).contains(flag.marker), "the reader did not receive the report")
        case .fifoWithoutReader:
            #expect(result.status == 1, "\(context)")
            #expect(Self.kind(path) == S_IFIFO, "the FIFO was replaced")
            #expect(
                result.stderr.contains(
                    "peft-perf: error: --\(flag.rawValue) '\(path)': no process opened the FIFO for reading"),
                "\(context)")
            #expect(result.stdout.isEmpty)
        case .directory:
            #expect(result.status == 2, "\(context)")
            #expect(
                result.stderr.contains("peft-perf: error: --\(flag.rawValue) '\(path)' is a directory"), "\(context)")
            #expect(Self.kind(path) == S_IFDIR)
            #expect(Self.leftovers(in: path).isEmpty)
            #expect(result.stdout.isEmpty)
        }
        if flag == .output, target != .directory, target != .fifoWithoutReader {
            #expect(result.stdout.isEmpty, "the report went to stdout too")
        }
    }

    // MARK: devices

    static var isRoot: Bool { getuid() == 0 }
    static var onCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A device node made by the test (the numbers of /dev/null, 1:3, so that
    /// what is written is discarded) stays that device.
    @Test(.enabled(if: isRoot || onCI, "mknod needs root"), arguments: Flag.allCases)
    func aDeviceIsWrittenInPlaceAndStaysADevice(flag: Flag) throws {
        guard Self.isRoot else {
            Issue.record("CI=true but not root: mknod cannot create the test's device node")
            return
        }
        let directory = try ScratchRoot.directory().path
        let path = directory + "/null"
        try #require(mknod(path, S_IFCHR | 0o666, 1 << 8 | 3) == 0, "mknod: errno \(errno)")
        let before = try #require(Self.status(path))
        let result = try CLIHarness.run(flag.arguments(path), timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        let after = try #require(Self.status(path))
        #expect(after.st_mode & S_IFMT == S_IFCHR, "the device was replaced")
        #expect(after.st_rdev == before.st_rdev)
        #expect(after.st_mode & 0o7777 == before.st_mode & 0o7777)
        #expect(Self.leftovers(in: directory).isEmpty)
    }

    // MARK: inherited descriptors

    /// The spellings of stdout and stderr, and the stream each one names.
    static let spellings: [(String, Int32)] = [
        ("-", 1), ("/dev/stdout", 1), ("/dev/fd/1", 1), ("/dev/stderr", 2), ("//dev/./stdout", 1),
        ("/proc/self/fd/1", 1), ("/dev/fd/2", 2),
    ]

    /// Runs through `setpriv` as nobody when root, so that a writer that
    /// treated `/dev/stdout` as a file could not create anything in the real
    /// `/dev`; the descriptors are inherited all the same.
    static var unprivilegedWrapper: [String] {
        Self.isRoot ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
    }

    static var canDropPrivileges: Bool {
        !Self.isRoot || FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
    }

    @Test(
        .enabled(if: canDropPrivileges || onCI, "/usr/bin/setpriv is missing (util-linux)"),
        arguments: Flag.allCases, spellings.indices)
    func stdoutSpellingsWriteToTheInheritedDescriptor(flag: Flag, spelling: Int) throws {
        try #require(Self.canDropPrivileges, "/usr/bin/setpriv is missing (util-linux)")
        let (path, stream) = Self.spellings[spelling]
        let directory = try ScratchRoot.directory()
        let result = try ChildProcess(
            flag.arguments(path), wrapper: Self.unprivilegedWrapper, directory: directory
        ).wait(timeout: 120)
        #expect(result.status == 0, "\(path): \(result.stderr)")
        let written = stream == 1 ? result.stdout : result.stderr
        #expect(written.contains(flag.marker), "\(path): the report did not reach descriptor \(stream)")
        if flag == .output {
            let other = stream == 1 ? result.stderr : result.stdout
            #expect(!other.contains(flag.marker))
        }
    }

    /// A link to `/dev/stdout` made by the test is followed to the inherited
    /// descriptor, and stays a link.
    @Test(
        .enabled(if: canDropPrivileges || onCI, "/usr/bin/setpriv is missing (util-linux)"),
        arguments: Flag.allCases)
    func aSymlinkToStdoutWritesToTheInheritedDescriptor(flag: Flag) throws {
        try #require(Self.canDropPrivileges, "/usr/bin/setpriv is missing (util-linux)")
        let directory = try ScratchRoot.directory()
        let link = directory.appendingPathComponent("to-stdout").path
        try #require(symlink("/dev/stdout", link) == 0)
        let result = try ChildProcess(
            flag.arguments(link), wrapper: Self.unprivilegedWrapper, directory: directory
        ).wait(timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(flag.marker))
        #expect(Self.kind(link) == S_IFLNK)
        #expect(Self.leftovers(in: directory.path).isEmpty)
    }

    /// Under journald stdout is a socket, which cannot be opened by path
    /// (`ENXIO`); the inherited descriptor is written instead.
    @Test(
        .enabled(if: canDropPrivileges || onCI, "/usr/bin/setpriv is missing (util-linux)"),
        arguments: ["-", "/dev/stdout", "/dev/fd/1"])
    func stdoutThatIsASocketIsWritten(path: String) throws {
        try #require(Self.canDropPrivileges, "/usr/bin/setpriv is missing (util-linux)")
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { close(pair[1]) }
        let status = try Self.spawnAndWait(Flag.output.arguments(path), stdout: pair[0])
        close(pair[0])
        #expect(status == 0, "exit status \(status)")
        #expect(Self.drain(pair[1]).contains(Flag.output.marker))
    }

    /// A `/dev/fd/N` that is not open is a clear error, not a file named N.
    @Test(arguments: Flag.allCases)
    func aClosedDescriptorIsAClearError(flag: Flag) throws {
        let result = try CLIHarness.run(flag.arguments("/dev/fd/999999"), timeout: 120)
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "peft-perf: error: --\(flag.rawValue) '/dev/fd/999999': not an open descriptor"),
            "\(result.stderr)")
    }

    // MARK: signals

    /// How the run is interrupted: signals sent one after the other.
    enum Interruption: String, CaseIterable, Sendable {
        case sigint, sigintTwice, sigterm, sighup

        var signals: [Int32] {
            switch self {
            case .sigint: return [SIGINT]
            case .sigintTwice: return [SIGINT, SIGINT]
            case .sigterm: return [SIGTERM]
            case .sighup: return [SIGHUP]
            }
        }
    }

    /// A run interrupted while its temporary file exists removes it. SIGHUP
    /// leaves the earlier report as it was. So do Ctrl-C and SIGTERM when the
    /// command has no report yet (`system` stops in its CPU window); `bench`
    /// stops its load and publishes the report of what ran. (`kill -9` cannot
    /// be caught and may still leave a temporary file: nothing claims
    /// otherwise.)
    @Test(arguments: Flag.allCases, Interruption.allCases)
    func aSignalLeavesNoTemporaryFile(flag: Flag, interruption: Interruption) throws {
        let directory = try ScratchRoot.directory().path
        let path = directory + "/report"
        let old = "an earlier report\n"
        try old.write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o640)
        let arguments =
            flag == .output
            ? ["system", "--interval", "60s", "--json", "-o", path]
            : ["bench", "--suite", "http", "-d", "60s", "-c", "1", "-t", "1", "--\(flag.rawValue)", path]
        let pid = try Self.spawn(arguments)
        var status: Int32? = nil
        defer {
            if status == nil {
                kill(pid, SIGKILL)
                _ = Self.waitForExit(pid, timeout: 30)
            }
        }
        // The temporary file exists once the output is prepared. The signal
        // follows its creation closely, to land in any window in which the
        // file would exist unregistered (another thread handles it).
        var appeared = false
        for _ in 0..<30_000 where !appeared {
            appeared = !Self.leftovers(in: directory).isEmpty
            if !appeared { usleep(1_000) }
        }
        try #require(appeared, "no temporary file appeared in \(directory)")
        for signal in interruption.signals { kill(pid, signal) }
        status = Self.waitForExit(pid, timeout: 60)
        let raw = try #require(status, "the run did not end after \(interruption)")
        let exitCode: Int32? = raw & 0x7f == 0 ? (raw >> 8) & 0xff : nil
        let killedBy: Int32? = raw & 0x7f != 0 ? raw & 0x7f : nil
        let contents = Self.contents(path)
        switch interruption {
        case .sigint:
            #expect(exitCode == 130, "raw status \(raw)")
            if flag == .output {
                #expect(contents == old, "the earlier report was replaced by an empty one")
            } else {
                #expect(contents.contains(flag.marker), "the report of what ran was not published")
            }
        case .sigintTwice:
            #expect(exitCode == 130, "raw status \(raw)")
            // The second Ctrl-C may land before the report is published or after.
            #expect(contents == old || contents.contains(flag.marker), "\(contents.prefix(200))")
        case .sigterm:
            // SIGTERM stops gracefully, as Ctrl-C does, and exits 143.
            #expect(exitCode == 143, "raw status \(raw)")
            if flag == .output {
                #expect(contents == old, "the earlier report was replaced by an empty one")
            } else {
                #expect(contents.contains(flag.marker), "the report of what ran was not published")
            }
        case .sighup:
            #expect(killedBy == SIGHUP || exitCode == 129, "raw status \(raw)")
            #expect(contents == old, "the earlier report was replaced")
        }
        #expect(Self.leftovers(in: directory).isEmpty, "\(interruption) left \(Self.leftovers(in: directory))")
        #expect(Self.status(path).map { $0.st_mode & 0o7777 } == 0o640)
    }

    // MARK: spawning

    /// Starts the binary (as nobody when root) with a clean signal mask and
    /// default dispositions, as a shell would, stdout on `stdout` (else
    /// /dev/null) and stderr on /dev/null.
    static func spawn(_ arguments: [String], stdout: Int32? = nil) throws -> pid_t {
        let binary = CLIHarness.binaryURL.path
        let argv = (stdout == nil ? [binary] : Self.unprivilegedWrapper + [binary]) + arguments
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdout {
            posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var environment = try CLIHarness.childEnvironmentForSpawn()
        defer { for pointer in environment { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, &cArguments, &environment)
        guard spawned == 0 else { throw TestSupportError("posix_spawn \(argv[0]): \(spawned)") }
        return pid
    }

    /// The raw wait status, or nil if the child is still running after `timeout` seconds.
    static func waitForExit(_ pid: pid_t, timeout: Double) -> Int32? {
        var status: Int32 = 0
        for _ in 0..<Int(timeout * 100) {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { return status }
            if done < 0 && errno != EINTR { return nil }
            usleep(10_000)
        }
        return nil
    }

    /// Runs to the end with stdout on `stdout`; the exit status, or -1.
    static func spawnAndWait(_ arguments: [String], stdout: Int32) throws -> Int32 {
        let pid = try Self.spawn(arguments, stdout: stdout)
        guard let raw = Self.waitForExit(pid, timeout: 60) else {
            kill(pid, SIGKILL)
            _ = Self.waitForExit(pid, timeout: 30)
            return -1
        }
        return raw & 0x7f == 0 ? (raw >> 8) & 0xff : -1
    }
}
