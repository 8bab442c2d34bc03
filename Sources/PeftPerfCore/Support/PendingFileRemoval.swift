#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// Temporary files that a fatal signal must not leave behind.
///
/// An output written atomically lives in a temporary file until it is renamed
/// over its target. SIGTERM, a second Ctrl-C or SIGHUP end the process before
/// that; their handlers call ``removeAll()``, which unlinks every registered
/// path. `kill -9` cannot be caught, so a file can still be left by it.
///
/// A path is registered before its file is created (and unregistered after it
/// is renamed or removed): a process-wide signal may be handled on any thread,
/// so there must be no moment when the file exists unregistered.
///
/// A signal handler may only call async-signal-safe functions, so nothing here
/// allocates or locks on the signal path: the paths are copied into memory
/// allocated once, ahead of time, and each slot's state is an atomic word.
public enum PendingFileRemoval {
    /// How many paths can be pending at once (`-o`, `--junit`, `--markdown`, …).
    public static let capacity = 16
    /// The longest path a slot holds, with its NUL. A longer path cannot be
    /// created anyway (`ENAMETOOLONG`).
    public static let pathCapacity = Int(PATH_MAX) + 1

    /// A registered path, to hand back to ``unregister(_:)``.
    public struct Token: Sendable {
        fileprivate let slot: Int
    }

    private enum State {
        static let free = 0
        static let filling = 1
        static let armed = 2
    }

    /// The slots' states, then their path buffers. Allocated once and never
    /// freed, so that a handler running on another thread never reads freed
    /// memory.
    private struct Storage: @unchecked Sendable {
        // @unchecked: the states are atomics; a path buffer is written only by
        // the thread that moved its slot from free to filling, and read (by a
        // signal handler) only while the slot is armed.
        let states: UnsafeMutablePointer<Atomic<Int>>
        let paths: UnsafeMutablePointer<CChar>
    }

    private static let storage: Storage = {
        let states = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: capacity)
        for slot in 0..<capacity {
            (states + slot).initialize(to: Atomic(State.free))
        }
        let paths = UnsafeMutablePointer<CChar>.allocate(capacity: capacity * pathCapacity)
        paths.initialize(repeating: 0, count: capacity * pathCapacity)
        return Storage(states: states, paths: paths)
    }()

    /// Allocates the storage now, so that the first access is never made by a
    /// signal handler (a lazy global's first access is not async-signal-safe).
    public static func prepare() {
        _ = self.storage
    }

    /// Adds `path` to the files removed on a fatal signal.
    ///
    /// - Returns: A token for ``unregister(_:)``, or nil when every slot is
    ///   taken or the path is too long; the file is then not protected.
    public static func register(_ path: String) -> Token? {
        let storage = self.storage
        let bytes = Array(path.utf8)
        guard bytes.count < pathCapacity, !bytes.contains(0) else { return nil }
        for slot in 0..<capacity {
            let claimed = storage.states[slot].compareExchange(
                expected: State.free, desired: State.filling, ordering: .acquiring
            ).exchanged
            guard claimed else { continue }
            let buffer = storage.paths + slot * pathCapacity
            for (index, byte) in bytes.enumerated() {
                buffer[index] = CChar(bitPattern: byte)
            }
            buffer[bytes.count] = 0
            storage.states[slot].store(State.armed, ordering: .releasing)
            return Token(slot: slot)
        }
        return nil
    }

    /// Forgets a path: it was renamed into place or removed.
    public static func unregister(_ token: Token) {
        self.storage.states[token.slot].store(State.free, ordering: .releasing)
    }

    /// Unlinks every registered path. Async-signal-safe: atomic loads and
    /// `unlink` only.
    public static func removeAll() {
        let storage = self.storage
        for slot in 0..<capacity where storage.states[slot].load(ordering: .acquiring) == State.armed {
            unlink(storage.paths + slot * pathCapacity)
        }
    }
}
