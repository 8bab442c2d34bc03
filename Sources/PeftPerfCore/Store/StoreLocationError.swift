/// There is no safe default location for the store.
///
/// See ``StoreLocation/defaultPath(environment:)``; naming a store
/// (`--store`, `PEFT_PERF_STORE`, `Configuration.storePath`) avoids both.
public enum StoreLocationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// `HOME` is unset (or empty, or relative), `XDG_STATE_HOME` too, and the
    /// user has no home directory in the password database.
    case noHomeDirectory(uid: UInt32)
    /// The default store directory exists but belongs to another user (or is
    /// not a directory): whoever made it could read or replace the store.
    case notOwned(directory: String, owner: UInt32)

    public var description: String {
        switch self {
        case .noHomeDirectory(let uid):
            return """
                no default location for the store: HOME and XDG_STATE_HOME are unset and user \(uid) has no \
                home directory in the password database; name the store with --store PATH (or PEFT_PERF_STORE)
                """
        case .notOwned(let directory, let owner):
            return """
                refusing the default store directory '\(directory)': it is not a directory owned by this user \
                (owner uid \(owner)), so another user could read or replace the store; remove it, or name the \
                store with --store PATH (or PEFT_PERF_STORE)
                """
        }
    }
}
