import Synchronization

/// One statement's statistics inside a ``QueryRecorder``, with its own lock.
///
/// A prepared statement keeps a reference to its cell, so recording a run locks
/// only the cell: no hashing of the statement text, no recorder-wide lock. A cell
/// the recorder dropped (to stay within its statement limit) is marked dead, and
/// the next run looks its statement up again.
final class QueryStatisticsCell: Sendable {
    struct Contents {
        var statistics: QueryStatistics
        var isLive = true
    }

    let key: QueryRecorder.Key
    /// ``QueryRecorder/id`` of the recorder that owns the cell.
    let recorderID: UInt64
    let contents: Mutex<Contents>

    init(key: QueryRecorder.Key, recorderID: UInt64) {
        self.key = key
        self.recorderID = recorderID
        self.contents = Mutex(Contents(statistics: QueryStatistics(database: key.database, statement: key.statement)))
    }

    /// Records a run; false when the cell is dead and the run was not counted.
    func record(
        nanoseconds: UInt64, rows: Int, counters: StatementCounters, failed: Bool, inListArities: [Int] = []
    ) -> Bool {
        self.contents.withLock { contents in
            guard contents.isLive else { return false }
            contents.statistics.record(
                nanoseconds: nanoseconds, rows: rows, counters: counters, failed: failed, inListArities: inListArities)
            return true
        }
    }
}
