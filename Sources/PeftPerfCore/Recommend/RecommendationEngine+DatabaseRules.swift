// The rules over the application database (`--db`): indexes, statistics,
// free pages and journal mode.

extension RecommendationEngine.Context {
    mutating func missingIndexes() {
        let rule = RecommendationRule.missingIndex
        guard let database = self.input.database else { return self.skip(rule, "no database (--db)") }
        for advice in database.missingIndexes {
            let builtIn =
                advice.statementsSource == "built_in"
                ? " For built-in PEFT Studio queries only: no recorded statement calls for it." : ""
            var evidence = Figures([.statementsCount: Double(advice.statements.count)])
            evidence.database = database.path
            evidence.table = advice.table
            evidence.columns = advice.columns
            evidence.index = advice.name
            evidence.statementsSource = advice.statementsSource
            evidence.statementIds = advice.statements.map(StatementID.of)
            evidence.claims = advice.claims
            self.fire(
                rule,
                message:
                    "Index \(advice.name) on \(advice.table) \(advice.claims.isEmpty ? "improves the plan" : advice.claims.joined(separator: " and ")) (verified on the plans).\(builtIn)",
                action: "\(advice.sql); then ANALYZE. 'peft-perf db optimize --apply' does both.",
                subject: advice.name, evidence: evidence)
        }
    }

    mutating func duplicateIndexes() {
        let rule = RecommendationRule.duplicateIndex
        guard let database = self.input.database else { return self.skip(rule, "no database (--db)") }
        for advice in database.redundantIndexes {
            var cover = advice.coveredBy.map { " is covered by \($0)" } ?? " is redundant"
            if let kept = advice.coveredBy {
                cover =
                    advice.kind == "prefix"
                    ? " is a prefix of \(kept), which exists and stays" : " duplicates \(kept), which stays"
            }
            var verified = ""
            if let count = advice.statementsVerified {
                verified =
                    count == 0
                    ? " Not verified on plans: no statement was checked."
                    : " No plan of the \(count) statements checked gets worse without it."
            }
            var evidence = Figures()
            evidence.database = database.path
            evidence.table = advice.table
            evidence.columns = advice.columns
            evidence.index = advice.name
            evidence.kind = advice.kind
            evidence.keptIndex = advice.coveredBy
            evidence.droppedIndex = advice.name
            evidence.equivalentIndexes = advice.equivalentIndexes.isEmpty ? nil : advice.equivalentIndexes
            evidence.statementsVerified = advice.statementsVerified
            if !advice.statements.isEmpty { evidence.statementIds = advice.statements.map(StatementID.of) }
            self.fire(
                rule,
                message:
                    "Index \(advice.name) on \(advice.table)\(cover): it costs space and write time for nothing.\(verified)",
                action: "\(advice.sql);", subject: advice.name, evidence: evidence)
        }
    }

    mutating func analyzeMissing() {
        let rule = RecommendationRule.analyzeMissing
        guard let database = self.input.database else { return self.skip(rule, "no database (--db)") }
        guard database.hasIndexes, !database.hasStatistics else { return }
        var evidence = Figures()
        evidence.database = database.path
        evidence.hasIndexes = database.hasIndexes
        evidence.hasStatistics = database.hasStatistics
        self.fire(
            rule,
            message: "\(database.path) has indexes but no ANALYZE statistics (sqlite_stat1): the planner guesses.",
            action: "Run ANALYZE (with PRAGMA analysis_limit on big tables); 'peft-perf db optimize --apply' does.",
            subject: database.path, evidence: evidence)
    }

    mutating func freelist() {
        let rule = RecommendationRule.freelistHigh
        let minimum = T.FreelistHigh.minPages
        guard let database = self.input.database else { return self.skip(rule, "no database (--db)") }
        guard self.enough(database.pageCount, minimum) else {
            return self.skip(rule, self.tooFew(minimum, "pages", has: database.pageCount))
        }
        let ratio = Double(database.freelistCount) / Double(database.pageCount)
        let limit = self.t(T.FreelistHigh.maxFreelistRatio)
        guard ratio > limit else { return }
        var evidence = Figures([
            .freelistRatio: ratio, .freelistPages: Double(database.freelistCount),
            .pageCount: Double(database.pageCount),
        ])
        evidence.database = database.path
        self.fire(
            rule,
            message:
                "Free pages are \(Self.percent(ratio)) of \(database.path) (\(database.freelistCount) of \(database.pageCount) pages).",
            action: "Run VACUUM in a quiet period: it rewrites the whole file and locks it while it runs.",
            subject: database.path, evidence: evidence)
    }

    mutating func journalMode() {
        let rule = RecommendationRule.journalModeNotWAL
        guard let database = self.input.database else { return self.skip(rule, "no database (--db)") }
        guard let peak = database.peakConnections else {
            return self.skip(rule, "no record of concurrent connections to \(database.path)")
        }
        guard self.enough(UInt64(max(0, peak)), T.JournalModeNotWAL.minConnections) else { return }
        guard database.journalMode.lowercased() != "wal" else { return }
        var evidence = Figures([.peakConnections: Double(peak)])
        evidence.database = database.path
        evidence.journalMode = database.journalMode
        self.fire(
            rule,
            message:
                "\(database.path) uses journal_mode=\(database.journalMode) while \(peak) connections use it at once: readers and the writer block each other.",
            action: "PRAGMA journal_mode=WAL; (persistent; readers then never block the writer).",
            subject: database.path, evidence: evidence)
    }
}
