#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import Testing

@testable import PeftPerfCore

/// Opens a connection on `:memory:` and passes it to `body`.
@discardableResult
func withOpenedConnection<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
    let connection = try SQLiteConnection(path: ":memory:")
    return try body(connection)
}

/// The bytes of a file, for before/after comparisons.
func fileBytes(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw TestSupportError("cannot open \(path)") }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 65536) }
        if n <= 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

func fileExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}

/// Writes `bytes` to a new file at `path`.
func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw TestSupportError("cannot create \(path)") }
    defer { close(fd) }
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

/// Creates a database at `path` with a `training_runs` table of `rows` rows.
func makeTrainingRunsDatabase(at path: String, rows: Int, wal: Bool = false) throws {
    let db = try SQLiteConnection(path: path)
    if wal { try db.execute("PRAGMA journal_mode=WAL") }
    try db.execute(
        """
        CREATE TABLE training_runs (
            id INTEGER PRIMARY KEY,
            job_id TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            config TEXT
        )
        """)
    _ = try db.transaction {
        for i in 0..<rows {
            let status = ["completed", "running", "failed", "queued"][i % 4]
            try db.execute(
                "INSERT INTO training_runs (job_id, status, started_at) VALUES (?, ?, ?)",
                [.text("job-\(i)"), .text(status), .text("2026-01-01T00:00:\(i % 60)")])
        }
    }
}
