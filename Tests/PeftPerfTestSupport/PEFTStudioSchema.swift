import PeftPerfCore

/// PEFT Studio's `training_runs` table as SQLAlchemy's `create_all()` emits it,
/// the original service's extra indexes, and the SQL its ORM sends.
public enum PEFTStudioSchema {
    /// The 24 columns, in declaration order.
    public static let columns = [
        "id", "job_id", "status", "provider", "started_at", "completed_at", "model_name", "dataset_path",
        "output_dir", "algorithm", "learning_rate", "num_epochs", "batch_size", "lora_r", "lora_alpha",
        "lora_dropout", "current_epoch", "current_step", "total_steps", "loss", "error_message", "config_json",
        "logs", "created_at",
    ]

    /// `CREATE TABLE`, as SQLAlchemy writes it.
    public static let createTable = """
        CREATE TABLE training_runs (
        \tid INTEGER NOT NULL, 
        \tjob_id VARCHAR NOT NULL, 
        \tstatus VARCHAR, 
        \tprovider VARCHAR, 
        \tstarted_at DATETIME, 
        \tcompleted_at DATETIME, 
        \tmodel_name VARCHAR, 
        \tdataset_path VARCHAR, 
        \toutput_dir VARCHAR, 
        \talgorithm VARCHAR, 
        \tlearning_rate FLOAT, 
        \tnum_epochs INTEGER, 
        \tbatch_size INTEGER, 
        \tlora_r INTEGER, 
        \tlora_alpha INTEGER, 
        \tlora_dropout FLOAT, 
        \tcurrent_epoch INTEGER, 
        \tcurrent_step INTEGER, 
        \ttotal_steps INTEGER, 
        \tloss FLOAT, 
        \terror_message TEXT, 
        \tconfig_json TEXT, 
        \tlogs TEXT, 
        \tcreated_at DATETIME, 
        \tPRIMARY KEY (id)
        );
        """

    /// The indexes the models declare (`index=True`, `unique=True`).
    public static let modelIndexes = """
        CREATE UNIQUE INDEX ix_training_runs_job_id ON training_runs (job_id);
        CREATE INDEX ix_training_runs_status ON training_runs (status);
        CREATE INDEX ix_training_runs_started_at ON training_runs (started_at);
        """

    /// The original performance layer's indexes, created at every start.
    public static let originalServiceIndexes = """
        CREATE INDEX IF NOT EXISTS idx_training_runs_job_id ON training_runs(job_id);
        CREATE INDEX IF NOT EXISTS idx_training_runs_status ON training_runs(status);
        CREATE INDEX IF NOT EXISTS idx_training_runs_started_at ON training_runs(started_at);
        """

    /// Creates the database at `path` with `rows` runs: mostly `completed`,
    /// one in a thousand `running` and `paused`, one in fifty `failed`.
    /// With `serviceIndexesFirst`, the original service's indexes are created
    /// before the models' (a database the old service created first).
    public static func create(
        at path: String, rows: Int, analyze: Bool = false, serviceIndexesFirst: Bool = false
    ) throws {
        let db = try SQLiteConnection(path: path)
        try db.execute(Self.createTable)
        if serviceIndexesFirst {
            try db.execute(Self.originalServiceIndexes)
            try db.execute(Self.modelIndexes)
        } else {
            try db.execute(Self.modelIndexes)
            try db.execute(Self.originalServiceIndexes)
        }
        try db.execute(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(rows))
            INSERT INTO training_runs (job_id, status, provider, started_at, completed_at, model_name, dataset_path,
                output_dir, algorithm, learning_rate, num_epochs, batch_size, lora_r, lora_alpha, lora_dropout,
                current_epoch, current_step, total_steps, loss, error_message, config_json, logs, created_at)
            SELECT printf('job-%06d', i),
                CASE WHEN i % 1000 = 1 THEN 'running' WHEN i % 1000 = 2 THEN 'paused'
                    WHEN i % 50 = 3 THEN 'failed' ELSE 'completed' END,
                CASE i % 3 WHEN 0 THEN 'local' WHEN 1 THEN 'runpod' ELSE 'lambda' END,
                datetime(1700000000 + i * 600, 'unixepoch'), datetime(1700000000 + i * 600 + 3600, 'unixepoch'),
                'meta-llama/Llama-3-8B', '/data/ds' || (i % 20) || '.jsonl', '/out/run-' || i, 'lora', 0.0002, 3, 8,
                16, 32, 0.05, 3, 900, 900, 0.5, CASE WHEN i % 50 = 3 THEN 'CUDA out of memory' END, '{}',
                CASE WHEN i % 97 = 0 THEN zeroblob(3000) END, datetime(1700000000 + i * 600, 'unixepoch')
            FROM n
            """)
        if analyze { try db.execute("ANALYZE") }
    }

    /// SQLAlchemy's select list: every column, qualified and labelled.
    public static var selectList: String {
        Self.columns.map { "training_runs.\($0) AS training_runs_\($0)" }.joined(separator: ", ")
    }

    /// The backend's statements, with literals as the driver would inline them
    /// for EXPLAIN: active runs with `IN` lists of 2 and 5 values, history,
    /// lookups by job id, counts by status, filters by provider.
    public static var statements: [String] {
        let select = "SELECT \(Self.selectList) FROM training_runs"
        return [
            "\(select) WHERE training_runs.status IN ('running', 'paused') ORDER BY training_runs.started_at DESC LIMIT 50 OFFSET 0",
            "\(select) WHERE training_runs.status IN ('running', 'paused', 'queued', 'failed', 'pending') ORDER BY training_runs.started_at DESC LIMIT 50 OFFSET 0",
            "\(select) WHERE training_runs.job_id = 'job-000042' LIMIT 1 OFFSET 0",
            "SELECT count(*) AS count_1 FROM (\(select) WHERE training_runs.status = 'failed') AS anon_1",
            "\(select) ORDER BY training_runs.started_at DESC LIMIT 20 OFFSET 40",
            "\(select) WHERE training_runs.provider = 'runpod' AND training_runs.status = 'completed' ORDER BY training_runs.started_at DESC LIMIT 20 OFFSET 0",
            "\(select) WHERE training_runs.started_at >= '2023-12-01 00:00:00' AND training_runs.started_at < '2023-12-02 00:00:00' ORDER BY training_runs.started_at DESC",
        ]
    }
}
