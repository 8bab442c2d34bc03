import Foundation
import PeftPerfCore
import Testing

/// `peft-perf metrics`, end to end.
@Suite struct MetricsCommandTests {
    @Test func emptyStoreHasPEFTStudioKeysAndIsNotCreated() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let result = try CLIHarness.run(["metrics", "--json", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONObject.parse(result.stdout)
        for key in ["cache", "database", "requests", "system", "timestamp", "slowest_endpoints", "schema_version"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        let requests = try #require(object["requests"] as? [String: Any])
        for key in [
            "total_requests", "avg_response_time", "max_response_time", "min_response_time", "error_rate",
            "error_count",
        ] {
            #expect(requests[key] is NSNumber, "requests.\(key)")
        }
        #expect(!FileManager.default.fileExists(atPath: store))
    }

    @Test func slowestEndpointsAndLimit() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let text =
            RecordCommandTests.events(5, endpoint: "GET /fast", ms: 1)
            + RecordCommandTests.events(5, endpoint: "GET /slow", ms: 800)
        let file = try RecordCommandTests.write(text, in: directory)
        #expect(try CLIHarness.run(["record", file, "--store", store]).status == 0)
        let result = try CLIHarness.run(["metrics", "--json", "--store", store, "--limit", "1"])
        let object = try JSONObject.parse(result.stdout)
        let slowest = try #require(object["slowest_endpoints"] as? [[String: Any]])
        #expect(slowest.count == 1)
        #expect(slowest.first?["endpoint"] as? String == "GET /slow/:id")
        #expect(slowest.first?["avg_time"] as? Double == 0.8)
        #expect(slowest.first?["request_count"] as? Int == 5)
        let table = try CLIHarness.run(["metrics", "--store", store])
        #expect(table.stdout.hasPrefix("Requests: 10"))
        #expect(table.stdout.contains("GET /slow/:id"))
    }

    @Test func sinceLimitsTheWindow() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        var text = ""
        for i in 0..<4 {
            text += #"{"type":"request","endpoint":"/old","duration_ms":5,"ts":"2020-01-0\#(i + 1)T00:00:00Z"}"# + "\n"
        }
        text += RecordCommandTests.events(3, endpoint: "/new")
        let file = try RecordCommandTests.write(text, in: directory)
        // Retention long enough to keep 2020.
        #expect(try CLIHarness.run(["record", file, "--store", store, "--retention", "5000d"]).status == 0)
        let recent = try JSONObject.parse(
            try CLIHarness.run(["metrics", "--json", "--store", store, "--since", "1h"]).stdout)
        #expect((recent["requests"] as? [String: Any])?["total_requests"] as? Int == 3)
        #expect(recent["since_seconds"] as? Double == 3600)
        let all = try JSONObject.parse(try CLIHarness.run(["metrics", "--json", "--store", store]).stdout)
        #expect((all["requests"] as? [String: Any])?["total_requests"] as? Int == 7)
    }

    @Test func retentionPrunesOldRows() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let old = #"{"type":"request","endpoint":"/old","duration_ms":5,"ts":"2020-01-01T00:00:00Z"}"# + "\n"
        let file = try RecordCommandTests.write(old + RecordCommandTests.events(2), in: directory)
        #expect(try CLIHarness.run(["record", file, "--store", store]).status == 0)  // default 30d
        let all = try JSONObject.parse(try CLIHarness.run(["metrics", "--json", "--store", store]).stdout)
        #expect((all["requests"] as? [String: Any])?["total_requests"] as? Int == 2)
    }

    @Test func prometheusOutputPassesPromtool() throws {
        let promtool = try RequiredTool.require("promtool", install: "apt-get install prometheus")
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let file = try RecordCommandTests.write(
            RecordCommandTests.events(30) + RecordCommandTests.events(5, endpoint: "POST /x", status: 503, ms: 700),
            in: directory)
        #expect(try CLIHarness.run(["record", file, "--store", store]).status == 0)
        let output = directory.appendingPathComponent("metrics.prom").path
        let result = try CLIHarness.run(["metrics", "--format", "prometheus", "--store", store, "-o", output])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.contains("# TYPE peft_perf_request_duration_seconds histogram"))
        #expect(text.contains("peft_perf_system_"))
        let checked = try ExternalTool.run(
            promtool, ["check", "metrics"], input: try Data(contentsOf: URL(fileURLWithPath: output)), environment: nil)
        let said = checked.stdout + checked.stderr
        #expect(checked.status == 0, "\(said)")
        #expect(said.isEmpty, "promtool: \(said)")
    }

    @Test func urlsAreProbedAndRecordedOnlyWithRecord() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let url = server.baseURL + "/health"
        let result = try CLIHarness.run(["metrics", "--json", "--store", store, "--url", url, "--probe", "4"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONObject.parse(result.stdout)
        let probes = try #require(object["probes"] as? [[String: Any]])
        #expect(probes.count == 1)
        #expect(probes.first?["url"] as? String == url)
        #expect(probes.first?["requests"] as? Int == 4)
        #expect(probes.first?["errors"] as? Int == 0)
        #expect(probes.first?["connections_reused"] as? Int == 3)
        #expect(probes.first?["recorded"] as? Bool == false)
        #expect(!FileManager.default.fileExists(atPath: store))

        let recorded = try CLIHarness.run([
            "metrics", "--json", "--store", store, "--url", url, "--probe", "3", "--record",
        ])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let after = try JSONObject.parse(try CLIHarness.run(["metrics", "--json", "--store", store]).stdout)
        #expect((after["requests"] as? [String: Any])?["total_requests"] as? Int == 3)
        let slowest = try #require(after["slowest_endpoints"] as? [[String: Any]])
        #expect(slowest.first?["endpoint"] as? String == "GET \(server.baseURL)/health")
    }

    @Test func anUnreachableURLIsCountedNotFatal() throws {
        let directory = try ScratchRoot.directory()
        let result = try CLIHarness.run([
            "metrics", "--json", "--store", directory.appendingPathComponent("s.sqlite").path, "--url",
            "http://127.0.0.1:1/", "--probe", "2", "--timeout", "2s",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let probes = try #require(try JSONObject.parse(result.stdout)["probes"] as? [[String: Any]])
        #expect(probes.first?["errors"] as? Int == 2)
        #expect((probes.first?["errors_by_kind"] as? [String: Any])?["connect"] as? Int == 2)
    }
}
