import Foundation
import PeftPerfTestSupport
import Testing

/// `peft-perf routes`, `routes import`, `routes clear` and `record --routes`,
/// end to end through the built binary, with the PEFT Studio-shaped OpenAPI
/// document as a real file and served over loopback HTTP.
@Suite struct RoutesCommandTests {
    static func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Request events over the 28 routes, in the three forms emitters send.
    static func events(count: Int, seed: UInt64 = 42) -> String {
        var text = ""
        for (index, request) in PEFTStudioRoutes.requests(count: count, seed: seed).enumerated() {
            let ms = request.route.template == "/api/runs/active" ? 900 : 10 + index % 7
            switch index % 3 {
            case 0:
                text += #"{"type":"request","endpoint":"\#(request.method) \#(request.path)","duration_ms":\#(ms)}"#
            case 1:
                text +=
                    #"{"type":"request","method":"\#(request.method)","endpoint":"\#(request.path)","duration_ms":\#(ms),"status":200}"#
            default:
                text +=
                    #"{"type":"request","method":"\#(request.method.lowercased())","endpoint":"\#(request.path)","duration_ms":\#(ms)}"#
            }
            text += "\n"
        }
        return text
    }

    static func endpoints(store: String) throws -> [String: Int] {
        let result = try CLIHarness.run(["metrics", "--json", "--limit", "1000", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONObject.parse(result.stdout)
        var out: [String: Int] = [:]
        for entry in object["slowest_endpoints"] as? [[String: Any]] ?? [] {
            out[entry["endpoint"] as? String ?? "?"] = entry["request_count"] as? Int
        }
        return out
    }

    @Test func importListRecordAndClear() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let openAPI = try Self.write(PEFTStudioRoutes.openAPIDocument(), "openapi.json", in: directory)
        let events = try Self.write(Self.events(count: 1348), "events.ndjson", in: directory)

        // Recorded first without templates: grouped, few endpoints, active kept.
        var result = try CLIHarness.run(["record", "--store", store, events])
        #expect(result.status == 0, "\(result.stderr)")
        let grouped = try Self.endpoints(store: store)
        #expect(grouped.count < 40, "\(grouped.keys.sorted())")
        #expect(grouped["GET /api/runs/active"] != nil)
        #expect(grouped[EndpointName.other] == nil)
        #expect(grouped.values.reduce(0, +) == 1348)

        // Importing merges what was recorded into the routes, counts kept.
        result = try CLIHarness.run(["routes", "import", openAPI, "--path-param", "model_id", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains("Imported \(PEFTStudioRoutes.templateCount) route templates"), "\(result.stdout)")
        var routes = try Self.endpoints(store: store)
        #expect(Set(routes.keys) == Set(PEFTStudioRoutes.routes.map(\.key)))
        #expect(routes.values.reduce(0, +) == 1348)

        // Listed, as a table and as JSON.
        result = try CLIHarness.run(["routes", "--store", store])
        #expect(result.status == 0)
        #expect(result.stdout.contains("/api/models/{model_id:path}"), "\(result.stdout)")
        result = try CLIHarness.run(["routes", "--json", "--store", store])
        let listing = try JSONObject.parse(result.stdout)
        #expect(listing["schema_version"] as? Int == 1)
        #expect((listing["templates"] as? [Any])?.count == PEFTStudioRoutes.templateCount)

        // A second file, recorded with the templates stored.
        let more = try Self.write(Self.events(count: 500, seed: 9), "more.ndjson", in: directory)
        result = try CLIHarness.run(["record", "--store", store, more])
        #expect(result.status == 0, "\(result.stderr)")
        routes = try Self.endpoints(store: store)
        #expect(Set(routes.keys) == Set(PEFTStudioRoutes.routes.map(\.key)))
        #expect(routes.values.reduce(0, +) == 1848)

        result = try CLIHarness.run(["routes", "clear", "--store", store])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Cleared \(PEFTStudioRoutes.templateCount) route templates"), "\(result.stdout)")
        result = try CLIHarness.run(["routes", "--json", "--store", store])
        #expect((try JSONObject.parse(result.stdout)["templates"] as? [Any])?.isEmpty == true)
    }

    @Test func recordRoutesFromALoopbackURLWithAServersPrefix() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let document = Array(PEFTStudioRoutes.openAPIDocument(serverPrefix: "/v1").utf8)
        let response =
            Array(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(document.count)\r\nConnection: close\r\n\r\n"
                    .utf8) + document
        let server = try CannedHTTPServer(response: response)
        defer { server.stop() }
        var text = ""
        for request in PEFTStudioRoutes.requests(count: 300) {
            text +=
                #"{"type":"request","method":"\#(request.method)","endpoint":"/v1\#(request.path)","duration_ms":5}"#
                + "\n"
        }
        let events = try Self.write(text, "events.ndjson", in: directory)
        let result = try CLIHarness.run([
            "record", "--routes", server.baseURL + "/openapi.json", "--path-param", "model_id", "--timeout", "10s",
            "--store", store, events,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let routes = try Self.endpoints(store: store)
        #expect(Set(routes.keys) == Set(PEFTStudioRoutes.routes.map { $0.method + " /v1" + $0.template }))
    }

    @Test(arguments: [
        ("missing", "does not exist"), ("malformed", "malformed JSON"), ("notOpenAPI", "not an OpenAPI document"),
        ("badLine", "line 3:"), ("ftp", "only http and https"), ("yaml", "YAML"), ("directory", "is a directory"),
    ])
    func badSourcesFailClearly(kind: String, message: String) throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let source: String
        switch kind {
        case "missing": source = directory.appendingPathComponent("nope.json").path
        case "malformed": source = try Self.write("{\"openapi\":\"3.1.0\",\"paths\":{", "bad.json", in: directory)
        case "notOpenAPI": source = try Self.write("{\"name\":\"peft\",\"version\":2}", "x.json", in: directory)
        case "badLine": source = try Self.write("GET /a\n# ok\nGET a/{x}\n", "routes.txt", in: directory)
        case "ftp": source = "ftp://user:secret@127.0.0.1/openapi.json"
        case "yaml": source = try Self.write("openapi: 3.1.0\npaths: {}\n", "openapi.yaml", in: directory)
        default: source = directory.path
        }
        for arguments in [["routes", "import", source], ["record", "--routes", source, "/dev/null"]] {
            let result = try CLIHarness.run(arguments + ["--store", store])
            #expect(result.status == 1 || result.status == 2, "\(arguments): \(result.status)")
            #expect(result.stderr.hasPrefix("peft-perf: error: "), "\(result.stderr)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(!result.stderr.contains("secret"))
            #expect(result.stdout.isEmpty)
        }
        // Nothing was stored.
        let listing = try CLIHarness.run(["routes", "--json", "--store", store])
        #expect((try JSONObject.parse(listing.stdout)["templates"] as? [Any])?.isEmpty == true)
    }

    @Test func usageErrors() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        for arguments in [
            ["routes", "frob"], ["routes", "import"], ["routes", "clear", "x"], ["routes", "import", "a", "b"],
            ["record", "--route-cardinality", "0", "/dev/null"], ["routes", "--path-param", "a/b"],
        ] {
            let result = try CLIHarness.run(arguments + ["--store", store])
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.hasPrefix("peft-perf: error: "), "\(result.stderr)")
        }
    }
}

enum EndpointName {
    static let other = "(other)"
}
