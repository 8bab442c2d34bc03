/// The store cannot be used by this build of peft-perf.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The store was written by a newer peft-perf; it is never downgraded.
    case newerFormat(path: String, found: Int, supported: Int)
    /// One component's tables were written by a newer peft-perf.
    case newerComponent(path: String, component: String, found: Int, supported: Int)
    /// The file is an SQLite database that is not a peft-perf store.
    case notAStore(path: String)
    /// The store's directory or file could not be created.
    case cannotCreate(path: String, reason: String)

    public var description: String {
        switch self {
        case .newerFormat(let path, let found, let supported):
            return """
                store '\(path)' has schema version \(found), newer than the \(supported) this peft-perf \
                understands; upgrade peft-perf or use another --store (the store is never downgraded)
                """
        case .newerComponent(let path, let component, let found, let supported):
            return """
                store '\(path)' has '\(component)' tables at version \(found), newer than the \(supported) \
                this peft-perf understands; upgrade peft-perf or use another --store
                """
        case .notAStore(let path):
            return """
                '\(path)' is an SQLite database but not a peft-perf store (it has no 'meta' table); \
                refusing to add tables to it. Point --store at a new file
                """
        case .cannotCreate(let path, let reason):
            return "cannot create store '\(path)': \(reason)"
        }
    }
}
