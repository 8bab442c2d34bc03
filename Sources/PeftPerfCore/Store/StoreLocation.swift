#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the store lives, and the rules that keep it out of another user's hands.
///
/// The store holds recorded endpoints and SQL text, and reports trust what is in
/// it, so no other local user may be able to read it, plant rows in it or swap
/// it:
/// - **The default location** (``defaultPath(environment:)``) is
///   `$XDG_STATE_HOME/peft-perf/store.sqlite` when `XDG_STATE_HOME` is an
///   absolute path, else `HOME/.local/state/peft-perf/store.sqlite`. Without a
///   usable `HOME` (unset, empty or relative) the home directory comes from the
///   password database (`getpwuid(getuid())`), never from `/tmp`; with none
///   there either, there is no default and the caller must name a store. An
///   existing store directory there must belong to this user.
/// - **Any store** (default or named) is refused when its directory is writable
///   by others (the "other" permission class, `o+w`) and lacks the sticky bit:
///   anyone could then replace the file (``checkDirectory(of:)``). A
///   group-writable directory is accepted: a store shared by a service user and
///   an operator through a common group is a documented use.
/// - Directories the store creates are made 0700 and the store file 0600, both
///   set with `chmod`/`fchmod` so that the umask does not matter; SQLite gives its
///   `-wal`, `-shm` and `-journal` files the store file's mode. An existing store
///   named with `--store` keeps its modes.
public enum StoreLocation {
    /// The default store path for this user.
    ///
    /// - Parameter environment: the variables to read (`XDG_STATE_HOME`, `HOME`).
    /// - Throws: ``StoreLocationError`` when there is no home directory, or when
    ///   the default store directory exists and belongs to another user.
    public static func defaultPath(environment: [String: String]) throws(StoreLocationError) -> String {
        let path: String
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            path = Self.joined(state, "peft-perf/store.sqlite")
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            path = Self.joined(home, ".local/state/peft-perf/store.sqlite")
        } else if let home = Self.passwordDatabaseHome() {
            path = Self.joined(home, ".local/state/peft-perf/store.sqlite")
        } else {
            throw .noHomeDirectory(uid: UInt32(getuid()))
        }
        let directory = SQLiteConnection.directory(of: path)
        var info = stat()
        if lstat(directory, &info) == 0 {
            // A symlink, or a directory someone else made first (HOME or XDG_STATE_HOME
            // pointing at a shared place): it is theirs, not ours.
            if info.st_mode & S_IFMT != S_IFDIR || info.st_uid != geteuid() {
                throw .notOwned(directory: directory, owner: UInt32(info.st_uid))
            }
        }
        return path
    }

    /// The home directory of the real user in the password database, or nil.
    static func passwordDatabaseHome() -> String? {
        guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return nil }
        let home = String(cString: directory)
        return home.hasPrefix("/") ? home : nil
    }

    private static func joined(_ base: String, _ tail: String) -> String {
        base.hasSuffix("/") ? base + tail : base + "/" + tail
    }

    /// Refuses a store whose directory another user could write to.
    ///
    /// Checks the directory named by `path` and, when `path` is a symlink that
    /// resolves, the directory of its target. A missing directory is fine: it
    /// will be created 0700.
    ///
    /// - Throws: ``StoreError/unsafeDirectory(path:directory:)``.
    public static func checkDirectory(of path: String) throws(StoreError) {
        var directories = [SQLiteConnection.directory(of: path)]
        if let resolved = realpath(path, nil) {
            directories.append(SQLiteConnection.directory(of: String(cString: resolved)))
            free(resolved)
        }
        for directory in directories {
            var info = stat()
            guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
            if info.st_mode & S_IWOTH != 0, info.st_mode & S_ISVTX == 0 {
                throw .unsafeDirectory(path: path, directory: directory)
            }
        }
    }
}
