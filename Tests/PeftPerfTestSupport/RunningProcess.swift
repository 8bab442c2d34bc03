#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
public import Foundation
import Synchronization

/// A program a test started and holds: the one way the tests start a child
/// process, whether it runs to its end (``ExternalTool/run(_:_:input:environment:timeout:)``,
/// ``wait(timeout:)``) or is a server the test stops (``stop(grace:)``).
///
/// The child is spawned with `posix_spawn`, as a shell would start it: an
/// empty signal mask and every signal at its default action. The test
/// runner's threads (Dispatch's workers) can block SIGINT and SIGTERM, and
/// Foundation's `Process` passes the mask on, so a child it starts could
/// ignore the SIGTERM that should stop it and the SIGINT a test sends; and a
/// SIGPIPE the runner ignores would stay ignored. Only the descriptors the
/// child is given stay open in it: a server must not hold another test's
/// pipe open. It gets a process group of its own, as from `Process`.
///
/// Output sent to ``Destination/capture`` is read by a thread per stream
/// from the start, so that a chatty child never blocks on a full pipe; a
/// thread reaps the child as soon as it ends, and a signal is sent only
/// while the child has not been reaped, so never to a recycled pid.
public final class RunningProcess: Sendable {
    /// What the child reads on stdin.
    public enum Input: Sendable {
        /// `/dev/null`.
        case null
        /// A pipe the test writes with ``write(_:)`` and ends with ``closeInput()``.
        case pipe
        /// These bytes through a pipe, written by a thread and then closed.
        case bytes(Data)
    }

    /// Where the child's stdout or stderr goes.
    public enum Destination: Sendable {
        /// `/dev/null`.
        case null
        /// A pipe read from the start: ``standardOutput``, ``waitForOutput(timeout:until:)``,
        /// and the result of ``wait(timeout:)``.
        case capture
        /// A file, created or truncated.
        case file(String)
    }

    /// `posix_spawn` failed: the program is missing, not executable, ….
    public struct SpawnError: Error, CustomStringConvertible {
        public let executable: String
        public let code: Int32
        public var description: String { "cannot start \(self.executable): \(String(cString: strerror(self.code)))" }
    }

    public let executable: String
    public let arguments: [String]
    public let pid: pid_t
    private let shared = Shared()

    /// Starts `executable` (a path) with `arguments`.
    ///
    /// - Parameters:
    ///   - environment: the child's whole environment; nil passes this process's.
    ///   - input: stdin.
    ///   - stdout: where stdout goes.
    ///   - stderr: where stderr goes.
    /// - Throws: ``SpawnError``.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: Input = .null,
        stdout: Destination = .capture, stderr: Destination = .capture
    ) throws {
        self.executable = executable
        self.arguments = arguments
        let spawned = try Self.spawnLock.withLock { count in
            count += 1
            return try Self.spawn(executable, arguments, environment, input, stdout, stderr)
        }
        self.pid = spawned.pid
        self.startThreads(stdinEnd: spawned.stdinEnd, readEnds: spawned.readEnds, input: input)
    }

    deinit {
        // Never block here: the reaping thread collects the child.
        self.send(SIGKILL)
        self.closeInput()
    }

    /// Whether the child has not ended yet.
    public var isRunning: Bool { self.shared.state.withLock { $0.status == nil } }

    /// What the child wrote on stdout so far (when captured).
    public var standardOutput: String { self.shared.state.withLock { String(decoding: $0.stdout, as: UTF8.self) } }

    /// What the child wrote on stderr so far (when captured).
    public var standardError: String { self.shared.state.withLock { String(decoding: $0.stderr, as: UTF8.self) } }

    /// Writes `text` to the child's stdin (``Input/pipe``).
    public func write(_ text: String) throws {
        try self.shared.state.withLock { state in
            guard state.stdin >= 0 else { throw POSIXError(.EBADF) }
            let code = Self.writeAll(state.stdin, Array(text.utf8))
            if code != 0 { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO) }
        }
    }

    /// Closes the child's stdin: end of input.
    public func closeInput() {
        self.shared.state.withLock { state in
            if state.stdin >= 0 { close(state.stdin) }
            state.stdin = -1
        }
    }

    /// Sends `signal` to the child, unless it has already ended.
    public func send(_ signal: Int32) {
        // Reaping happens under the same lock, so the pid is still the child's.
        self.shared.state.withLock { state in
            if state.status == nil { kill(self.pid, signal) }
        }
    }

    /// Waits up to `timeout` seconds for stdout (``Destination/capture``)
    /// to satisfy `condition`: the text so far when it does, or nil when the
    /// time is up or stdout ended first.
    public func waitForOutput(timeout: TimeInterval, until condition: (String) -> Bool) -> String? {
        let deadline = DispatchTime.now() + timeout
        while true {
            let (text, ended) = self.shared.state.withLock {
                (String(decoding: $0.stdout, as: UTF8.self), $0.stdoutEnded)
            }
            if condition(text) { return text }
            if ended || self.shared.changed.wait(timeout: deadline) == .timedOut { return nil }
        }
    }

    /// Waits up to `timeout` seconds for the child to end; whether it did.
    public func waitForExit(timeout: TimeInterval) -> Bool {
        if !self.isRunning { return true }
        guard self.shared.exited.wait(timeout: .now() + timeout) == .success else { return false }
        // Left signalled for whoever waits next.
        self.shared.exited.signal()
        return true
    }

    /// Waits for the child to end and returns what it did; after `timeout`
    /// seconds it is killed and ``ExternalTool/TimedOut`` is thrown.
    @discardableResult
    public func wait(timeout: TimeInterval = 60) throws -> ExternalTool.Output {
        guard self.waitForExit(timeout: timeout) else {
            self.send(SIGKILL)
            _ = self.waitForExit(timeout: 60)
            throw ExternalTool.TimedOut(arguments: self.arguments)
        }
        self.closeInput()
        // A grandchild holding the pipes open (none is expected) must not hang the test.
        _ = self.shared.drained.wait(timeout: .now() + 30)
        return self.shared.state.withLock { state in
            let status = state.status ?? 0
            let signaled = status & 0x7F != 0
            return ExternalTool.Output(
                stdout: String(decoding: state.stdout, as: UTF8.self),
                stderr: String(decoding: state.stderr, as: UTF8.self),
                status: signaled ? status & 0x7F : (status >> 8) & 0xFF, signaled: signaled)
        }
    }

    /// Stops the child: SIGTERM, then SIGKILL if it has not ended after
    /// `grace` seconds; returns once it is reaped.
    public func stop(grace: TimeInterval = 10) {
        self.send(SIGTERM)
        if !self.waitForExit(timeout: grace) {
            self.send(SIGKILL)
            _ = self.waitForExit(timeout: 60)
        }
        self.closeInput()
    }

    /// Held while pipes are made and a child is spawned: a pipe is made
    /// close-on-exec in two steps (Glibc does not export `pipe2`), and no
    /// other child may be spawned in between and inherit it. It counts the
    /// children spawned: a lock over an empty value (`Mutex(())`) is reported
    /// as a race by ThreadSanitizer, whose access check lands the zero-sized
    /// value on the lock's own field.
    private static let spawnLock = Mutex(0)

    /// Spawns the child (under ``spawnLock``): its pid, the write end of its
    /// stdin (or -1) and the read ends of its captured streams.
    private static func spawn(
        _ executable: String, _ arguments: [String], _ environment: [String: String]?, _ input: Input,
        _ stdout: Destination, _ stderr: Destination
    ) throws -> (pid: pid_t, stdinEnd: Int32, readEnds: [(fd: Int32, stream: Stream)]) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The child's ends of the pipes, closed here once it has them.
        var childEnds: [Int32] = []
        defer { for fd in childEnds { close(fd) } }
        // Our ends: stdin's write end, and the read ends of captured streams.
        var stdinEnd: Int32 = -1
        var readEnds: [(fd: Int32, stream: Stream)] = []
        var spawned = false
        defer {
            if !spawned {
                if stdinEnd >= 0 { close(stdinEnd) }
                for end in readEnds { close(end.fd) }
            }
        }
        switch input {
        case .null:
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .pipe, .bytes:
            // A child that dies (or is killed) while the test writes to it
            // must give EPIPE, not a SIGPIPE that ends the whole test runner.
            signal(SIGPIPE, SIG_IGN)
            let (read, write) = try Self.makePipe()
            childEnds.append(read)
            stdinEnd = write
            posix_spawn_file_actions_adddup2(&actions, read, 0)
        }
        for (fd, destination, stream) in [(Int32(1), stdout, Stream.stdout), (2, stderr, .stderr)] {
            switch destination {
            case .null:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            case .file(let path):
                posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .capture:
                let (read, write) = try Self.makePipe()
                childEnds.append(write)
                readEnds.append((read, stream))
                posix_spawn_file_actions_adddup2(&actions, write, fd)
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP
        #if canImport(Darwin)
            flags |= POSIX_SPAWN_CLOEXEC_DEFAULT
        #else
            // Whatever else is open without close-on-exec (a socket, a file
            // another library opened) is closed in the child, as Foundation's
            // Process does: close actions run after the dup2s above, and
            // glibc ignores EBADF for one closed meanwhile.
            for fd in Self.openDescriptors() where fd > 2 {
                posix_spawn_file_actions_addclose(&actions, fd)
            }
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let environment = environment ?? ProcessInfo.processInfo.environment
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in envp { free(pointer) } }
        var pid = pid_t()
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw SpawnError(executable: executable, code: code) }
        spawned = true
        return (pid, stdinEnd, readEnds)
    }

    // MARK: Threads

    private enum Stream { case stdout, stderr }

    private struct State {
        /// The raw wait status, once the child is reaped.
        var status: Int32?
        var stdout = Data()
        var stderr = Data()
        var stdoutEnded = false
        /// The write end of the child's stdin (``Input/pipe``), or -1.
        var stdin: Int32 = -1
    }

    /// What the child's threads and the test share; the threads hold this,
    /// not the ``RunningProcess``, so that dropping it kills the child.
    private final class Shared: Sendable {
        let state = Mutex(State())
        /// Signalled once, when the child is reaped (and re-signalled by each waiter).
        let exited = DispatchSemaphore(value: 0)
        /// Signalled whenever captured output arrives or a stream ends.
        let changed = DispatchSemaphore(value: 0)
        /// Entered by each reading thread, left at its stream's end.
        let drained = DispatchGroup()
    }

    private func startThreads(stdinEnd: Int32, readEnds: [(fd: Int32, stream: Stream)], input: Input) {
        let shared = self.shared
        let pid = self.pid
        Thread.detachNewThread {
            // Wait without reaping, then reap under the lock that `send` takes.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
            shared.state.withLock { state in
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                state.status = status
            }
            shared.exited.signal()
            shared.changed.signal()
        }
        for (fd, stream) in readEnds {
            shared.drained.enter()
            Thread.detachNewThread {
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else { break }
                    shared.state.withLock { state in
                        switch stream {
                        case .stdout: state.stdout.append(contentsOf: buffer[0..<count])
                        case .stderr: state.stderr.append(contentsOf: buffer[0..<count])
                        }
                    }
                    shared.changed.signal()
                }
                close(fd)
                if case .stdout = stream { shared.state.withLock { $0.stdoutEnded = true } }
                shared.drained.leave()
                shared.changed.signal()
            }
        }
        switch input {
        case .null:
            break
        case .pipe:
            shared.state.withLock { $0.stdin = stdinEnd }
        case .bytes(let data) where data.isEmpty:
            close(stdinEnd)
        case .bytes(let data):
            // Its own thread: a child that writes a lot before it reads must not deadlock with us.
            Thread.detachNewThread {
                _ = Self.writeAll(stdinEnd, [UInt8](data))
                close(stdinEnd)
            }
        }
    }

    /// The descriptors open in this process.
    private static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }

    /// Writes all of `bytes` to `fd`: 0, or the errno that stopped it (EPIPE
    /// when the child is gone).
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        var rest = bytes[...]
        while !rest.isEmpty {
            #if canImport(Darwin)
                let written = rest.withUnsafeBytes { Darwin.write(fd, $0.baseAddress, $0.count) }
            #else
                let written = rest.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            rest = rest.dropFirst(written)
        }
        return 0
    }

    /// A pipe whose two ends are close-on-exec: (read, write). Only under ``spawnLock``.
    private static func makePipe() throws -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }
}
