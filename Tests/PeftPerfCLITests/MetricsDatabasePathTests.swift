import Foundation
import Testing

/// `metrics` and `recommend` find what was recorded for `--db` however the
/// path is written, and refuse a missing database like the other reports.
@Suite struct MetricsDatabasePathTests {
    func makeDatabase(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("app.db").path
        let sqlite3 = try RequiredTool.require("sqlite3", install: "apt-get install sqlite3")
        let made = try ExternalTool.run(sqlite3, [path, "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1);"])
        try #require(made.status == 0, "sqlite3: \(made.stderr)")
        return path
    }

    @Test func aRelativeDBPathFindsTheQueriesRecordedUnderItsAbsolutePath() throws {
        let dir = try ScratchRoot.directory()
        let path = try makeDatabase(in: dir)
        let store = dir.appendingPathComponent("store.sqlite").path
        let event = #"{"type":"query","sql":"SELECT * FROM t WHERE x = 1","duration_ms":3,"db":"\#(path)"}"#
        let recorded = try CLIHarness.run(["record", "-", "--store", store], stdin: Data((event + "\n").utf8))
        #expect(recorded.status == 0, "\(recorded.stderr)")
        // A path with a detour through the directory's parent: not the recorded spelling.
        let detour = dir.path + "/../" + dir.lastPathComponent + "/app.db"
        for command in [["metrics"], ["recommend"]] {
            let r = try CLIHarness.run(command + ["--db", detour, "--store", store, "--json"])
            #expect(r.status == 0, "\(r.stderr)")
            if command == ["metrics"] {
                let database = try #require(try JSONObject.parse(r.stdout)["database"] as? [String: Any])
                #expect(database["total_queries"] as? Int == 1)
            }
        }
    }

    @Test(arguments: [["metrics"], ["recommend"]])
    func aMissingDatabaseExitsOneAndCreatesNothing(command: [String]) throws {
        let dir = try ScratchRoot.directory()
        let missing = dir.appendingPathComponent("nope.db").path
        let r = try CLIHarness.run(command + ["--db", missing])
        #expect(r.status == 1)
        #expect(r.stderr.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
