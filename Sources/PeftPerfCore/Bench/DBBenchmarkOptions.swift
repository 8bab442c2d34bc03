/// Settings of the `db` suite of `peft-perf bench`.
public struct DBBenchmarkOptions: Sendable {
    /// Rows in the scratch `training_runs` table (`--rows`).
    public var rows: Int = 200_000
    /// How long each query is measured, in each variant.
    public var secondsPerMeasurement: Double = 0.6
    /// Worker threads of the pooled run (`--concurrency`).
    public var concurrency: Int = 2
    /// Where the scratch database is made; it is removed afterwards.
    public var temporaryDirectory: String = CacheBenchmarkOptions.defaultTemporaryDirectory()

    public init() {}
}
