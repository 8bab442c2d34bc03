import Foundation
import PeftPerfCore
import Testing

/// Recorded bench runs feed the pool rules of `recommend`.
@Suite struct BenchRecordPoolTests {
    static func ids(_ stdout: String) throws -> [String] {
        let object = try JSONObject.parse(stdout)
        return ((object["details"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
    }

    static func bench(_ url: String, store: String) throws {
        let result = try CLIHarness.run(["bench", "--url", url, "--requests", "30", "-c", "2", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func connectionsClosedByTheServerFireConnectionReuseLow() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        try Self.bench(server.baseURL + "/close", store: store)
        let result = try CLIHarness.run(["recommend", "--json", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.ids(result.stdout).contains("connection_reuse_low"))
        let object = try JSONObject.parse(result.stdout)
        let details = (object["details"] as? [[String: Any]]) ?? []
        let reuse = try #require(details.first { $0["id"] as? String == "connection_reuse_low" })
        #expect((reuse["message"] as? String)?.contains("bench:" + server.baseURL) == true)
    }

    @Test func keptAliveConnectionsDoNotFireConnectionReuseLow() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        try Self.bench(server.baseURL + "/items/7", store: store)
        let result = try CLIHarness.run(["recommend", "--json", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        let ids = try Self.ids(result.stdout)
        #expect(!ids.contains("connection_reuse_low"))
        // The rule judged the bench pool rather than skipping for want of data.
        let object = try JSONObject.parse(result.stdout)
        let skipped = ((object["not_evaluated"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        #expect(skipped.contains("tail_latency"))  // the list is there
        #expect(!skipped.contains("connection_reuse_low"))
        #expect(!skipped.contains("pool_waits"))
    }

    @Test func noRecordAddsNoPool() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let result = try CLIHarness.run([
            "bench", "--url", server.baseURL + "/close", "--requests", "30", "-c", "2", "--store", store,
            "--no-record",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let recommend = try CLIHarness.run(["recommend", "--json", "--store", store])
        #expect(!(try Self.ids(recommend.stdout)).contains("connection_reuse_low"))
    }
}
