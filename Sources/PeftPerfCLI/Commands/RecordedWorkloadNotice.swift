import PeftPerfCore

extension PeftPerf {
    /// `--workload-from PATH`, and the one line that says when the database a
    /// report reads recorded statements for has none.
    ///
    /// The store keys statements by the database's canonical path, so a copy
    /// of the database, or a path spelt as the service did not, finds none,
    /// and the report would silently leave the workload out.
    enum RecordedWorkloadNotice {
        /// At most this many recorded databases are named; the rest are counted.
        static let maxListed = 10

        /// `--workload-from`'s path as the store keys it, or nil when not given.
        static func workloadPath(_ context: CommandContext) throws -> String? {
            guard let path = context.arguments.string("workload-from") else { return nil }
            guard !path.isEmpty else { throw UsageError("--workload-from: the path is empty") }
            return RecordedWorkload.canonicalPath(path)
        }

        /// Says so on stderr when `recorded` (a canonical path) has no recorded
        /// statements while the store has some for other databases, or none at
        /// all. Silent without a store (the reports say that themselves) or when
        /// the store cannot be read (so do they).
        static func emit(_ context: CommandContext, recorded: String, viaWorkloadFrom: Bool) {
            guard let storePath = try? context.global.store,
                let databases = try? RecordedWorkload.databases(
                    storePath: storePath, busyTimeout: context.global.timeoutSeconds)
            else { return }
            if let message = self.message(recorded: recorded, databases: databases, viaWorkloadFrom: viaWorkloadFrom) {
                context.console.note(message)
            }
        }

        /// The line, or nil when `recorded` is among `databases`. The paths come
        /// from the store as written: ``Console/note(_:)`` shows the line through
        /// ``TerminalText/escaped(_:)`` (escaping it here too would double every backslash).
        static func message(recorded: String, databases: [String], viaWorkloadFrom: Bool) -> String? {
            guard !databases.contains(recorded) else { return nil }
            let shown = { (path: String) in "'" + path + "'" }
            let subject = viaWorkloadFrom ? "--workload-from" : "--db"
            var line = "no statements recorded for \(subject) \(shown(recorded))"
            guard !databases.isEmpty else { return line + "; the store has none recorded with a \"db\"" }
            line += "; recorded for: " + databases.prefix(self.maxListed).map(shown).joined(separator: ", ")
            if databases.count > self.maxListed { line += " and \(databases.count - self.maxListed) more" }
            return line + " (use --workload-from PATH to read one of them)"
        }
    }
}
