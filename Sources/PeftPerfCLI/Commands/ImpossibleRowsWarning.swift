import PeftPerfCore

extension PeftPerf {
    /// The one warning a report gives when the store holds rows with
    /// impossible values (see ``StorePlausibility``), which every reader skips.
    ///
    /// Such rows were written before `record` checked its input (a `ts` in
    /// milliseconds or far in the future, a duration of 1e305 s); `record`
    /// deletes them the next time it writes.
    enum ImpossibleRowsWarning {
        static func emit(_ context: CommandContext) {
            guard let path = try? context.global.store,
                let count = StorePlausibility.impossibleRowCount(
                    storePath: path, busyTimeout: context.global.timeoutSeconds),
                count > 0
            else { return }
            context.console.warn(
                "skipped \(count) recorded row\(count == 1 ? "" : "s") with impossible values in the store (\(path)); "
                    + "the next 'peft-perf record' deletes them")
        }
    }
}
