import Foundation
import PeftPerfTestSupport
import Testing

@testable import PeftPerfCore

/// Route templates, the trie, the id rules and cardinality collapse, and
/// `record`'s batch naming requests by route.
@Suite struct RouteGroupingTests {
    static let fixtureTemplates: [RouteTemplate] = {
        let bytes = Array(PEFTStudioRoutes.openAPIDocument().utf8)
        return (try? OpenAPIRouteParser.parse(bytes, pathParameters: ["model_id"])) ?? []
    }()

    static func names(
        _ requests: [PEFTStudioRoutes.Request], grouping: RouteGrouping, maxEndpoints: Int = 1000
    ) -> (keys: Set<String>, batch: RecordBatch) {
        var batch = RecordBatch(maxEndpoints: maxEndpoints, maxPendingRows: 1 << 20, grouping: grouping)
        for (index, request) in requests.enumerated() {
            // Both forms: the `method` field beside a path, and the old "METHOD /path".
            let event =
                index % 2 == 0
                ? RecordEvent.Request(endpoint: request.path, durationSeconds: 0.01, method: request.method)
                : RecordEvent.Request(endpoint: request.method + " " + request.path, durationSeconds: 0.01)
            batch.add(event, now: 1_790_000_000)
        }
        let rows = batch.takeRows()
        return (Set(rows.map(\.endpoint)), batch)
    }

    // MARK: Templates

    @Test(arguments: [
        ("GET /api/runs/{job_id}", "GET /api/runs/{job_id}", "/api/runs/{job_id}"),
        ("get   /api/runs/active", "GET /api/runs/active", "/api/runs/active"),
        ("/api/models/{model_id:path}", "/api/models/{model_id}", "/api/models/{model_id:path}"),
        ("DELETE /api/presets/{preset_id:int}", "DELETE /api/presets/{preset_id}", "/api/presets/{preset_id}"),
        ("/", "/", "/"),
    ])
    func templatesParse(text: String, endpoint: String, declared: String) throws {
        let template = try RouteTemplate(parsing: text)
        #expect(template.endpointName == endpoint)
        #expect(template.declaredPath == declared)
        // The declaration parses back to the same template.
        #expect(try RouteTemplate(parsing: template.declaration) == template)
    }

    @Test(arguments: [
        "api/runs", "GET", "G3T /x", "GET /a/{x", "GET /a/{}", "GET /a/x{y}", "GET /a/{rest:path}/b",
        "GET /a/{x}/{x}", "GET /a/{x:regex}", "GET /a b", "GET /a?x=1", "GET /a/{na me}",
        String(repeating: "/a", count: 70),
    ])
    func badTemplatesAreRefused(text: String) {
        #expect(throws: RouteSourceError.self) { try RouteTemplate(parsing: text) }
    }

    @Test func plainFileNamesTheBadLine() throws {
        #expect(try PlainRouteParser.parse(PEFTStudioRoutes.plainTemplates).count == PEFTStudioRoutes.routes.count)
        for (lines, bad) in [(["GET /a", "", "# c", "POST b"], 4), (["GET /a {x}"], 1), (["  # only", "/x/{"], 2)] {
            do {
                _ = try PlainRouteParser.parse(lines.joined(separator: "\n"))
                Issue.record("accepted \(lines)")
            } catch {
                #expect(error.description.hasPrefix("line \(bad): "), "\(error)")
            }
        }
        #expect(throws: RouteSourceError.self) { try PlainRouteParser.parse("# nothing\n\n") }
    }

    @Test func trieFollowsOpenAPIPrecedence() throws {
        let trie = RouteTrie(
            try [
                "GET /api/runs/{job_id}", "GET /api/runs/active", "POST /api/runs/active/stop",
                "GET /api/runs/{job_id}/logs", "/api/models/{model_id:path}", "GET /api/models/{model_id:path}",
                "DELETE /api/runs/{job_id}", "/api/any/{x}",
            ].map { try RouteTemplate(parsing: $0) })
        func key(_ method: String?, _ path: String) -> String? {
            guard let template = trie.match(method: method, path: path) else { return nil }
            guard let method else { return template.path }
            return method + " " + template.path
        }
        #expect(key("GET", "/api/runs/active") == "GET /api/runs/active")
        #expect(key("GET", "/api/runs/job_1") == "GET /api/runs/{job_id}")
        #expect(key("DELETE", "/api/runs/active") == "DELETE /api/runs/{job_id}")
        // Backtracking: "active" has no "logs" child, the parameter branch does.
        #expect(key("GET", "/api/runs/active/logs") == "GET /api/runs/{job_id}/logs")
        #expect(key("GET", "/api/models/meta-llama/Llama-2-7b-hf") == "GET /api/models/{model_id}")
        #expect(key("PUT", "/api/models/a/b/c") == "PUT /api/models/{model_id}")
        #expect(key("GET", "/api/models") == nil)
        #expect(key("PATCH", "/api/runs/1") == nil)
        #expect(key("PATCH", "/api/any/1") == "PATCH /api/any/{x}")
        #expect(key(nil, "/api/runs/1") == "/api/runs/{job_id}")
        #expect(key("GET", "/api/runs/") == nil)
    }

    @Test func openAPIFixtureAndServersPrefix() throws {
        #expect(Self.fixtureTemplates.count == PEFTStudioRoutes.templateCount)
        #expect(Self.fixtureTemplates.contains(try RouteTemplate(parsing: "GET /api/models/{model_id:path}")))
        for prefix in ["/v1", "/v1/", "http://127.0.0.1:8000/v1", "https://user:pw@api.example.com/v1/"] {
            let templates = try OpenAPIRouteParser.parse(
                Array(PEFTStudioRoutes.openAPIDocument(serverPrefix: prefix).utf8))
            #expect(templates.allSatisfy { $0.path.hasPrefix("/v1/") }, "\(prefix)")
            var grouping = RouteGrouping(templates: templates)
            #expect(grouping.endpointName("GET /v1/api/runs/local_167936") == "GET /v1/api/runs/{job_id}")
        }
        // Without --path-param, FastAPI's {model_id} takes one segment only.
        var plain = RouteGrouping(
            templates: try OpenAPIRouteParser.parse(Array(PEFTStudioRoutes.openAPIDocument().utf8)))
        #expect(plain.group("GET /api/models/meta-llama/Llama-2-7b-hf").matchedTemplate == false)
    }

    @Test(arguments: [
        ("{}", "no \"openapi\""), ("[1,2]", "not an OpenAPI document"), ("{\"openapi\":\"3.0.0\"}", "no \"paths\""),
        ("{\"openapi\":3}", "wrong type"), ("{\"openapi\":\"3.0.0\",\"paths\":[]}", "wrong type"),
        ("{\"openapi\":", "malformed JSON"),
        ("{\"openapi\":\"3.0.0\",\"paths\":{\"/a/{x\":{\"get\":{}}}}", "path \"/a/{x\""),
        ("{\"openapi\":\"3.0.0\",\"servers\":[{\"url\":\"/{v}\"}],\"paths\":{}}", "without a default"),
        (String(repeating: "[", count: 100_000), "not an OpenAPI document"),
    ])
    func badOpenAPIDocumentsAreRefused(text: String, message: String) {
        do {
            _ = try RouteSource.parse(Array(text.utf8))
            Issue.record("accepted \(text.prefix(40))")
        } catch {
            #expect(error.description.contains(message) || error.description.contains("malformed"), "\(error)")
        }
    }

    // MARK: Ids

    @Test func compoundIdsBecomeIds() {
        let ids = [
            "job_20240129_041853_a9d7c0", "local_167936", "run_20250112_143501", "new-job-123", "preset_4",
            "Llama-2-7b-hf", "2024-01-29", "checkpoint-500", "ds-2024-01-7", "a9d7c0_x",
        ]
        let kept = [
            "v2", "oauth2-redirect", "api-v2", "v1.2", "openapi.json", "active", "meta-llama", "gpt2", "md5",
            "{job_id}", ":id", "redoc", "x86",
        ]
        for id in ids { #expect(EndpointNormalizer.normalize("/a/\(id)/b") == "/a/:id/b", "\(id)") }
        for word in kept { #expect(EndpointNormalizer.normalize("/a/\(word)/b") == "/a/\(word)/b", "\(word)") }
        // Generated: every job id shape PEFT Studio makes, and idempotence.
        var g = PEFTStudioRoutes.Generator(seed: 7)
        for _ in 0..<2000 {
            let id = PEFTStudioRoutes.jobID(&g)
            let name = EndpointNormalizer.normalize("GET /api/runs/\(id)")
            #expect(name == "GET /api/runs/:id", "\(id)")
            #expect(EndpointNormalizer.normalize(name) == name)
        }
    }

    // MARK: The generated stream

    @Test func generatedStreamComesOutAsTheRoutesWithTemplates() {
        let requests = PEFTStudioRoutes.requests(count: 1348)
        let (keys, batch) = Self.names(requests, grouping: RouteGrouping(templates: Self.fixtureTemplates))
        #expect(keys == Set(PEFTStudioRoutes.routes.map(\.key)))
        #expect(!batch.groupedCapReached)
        // Each request is named by its own route.
        var grouping = RouteGrouping(templates: Self.fixtureTemplates)
        for request in requests {
            #expect(grouping.endpointName(method: request.method, path: request.path) == request.route.key)
        }
    }

    @Test func generatedStreamWithoutTemplatesStaysSmall() {
        for seed in [1, 2, 3] as [UInt64] {
            let requests = PEFTStudioRoutes.requests(count: 5000, seed: seed)
            let (keys, _) = Self.names(requests, grouping: RouteGrouping())
            #expect(keys.count < 40, "\(keys.sorted())")
            #expect(keys.contains("GET /api/runs/active"))
            #expect(keys.contains("GET /api/runs/:id"))
            #expect(keys.contains("DELETE /api/runs/:id"))
            #expect(!keys.contains(EndpointNormalizer.overflowName))
        }
        // Even when the grouped cap is reached, templates are exempt.
        let requests = PEFTStudioRoutes.requests(count: 3000)
        let (capped, batch) = Self.names(
            requests, grouping: RouteGrouping(templates: Self.fixtureTemplates), maxEndpoints: 0)
        #expect(capped == Set(PEFTStudioRoutes.routes.map(\.key)))
        #expect(!batch.groupedCapReached)
    }

    @Test func groupedCapIsReportedAndActiveStaysOut() {
        var batch = RecordBatch(maxEndpoints: 3, maxPendingRows: 1 << 20)
        batch.add(RecordEvent.Request(endpoint: "GET /api/runs/active", durationSeconds: 0.9), now: 1_790_000_000)
        for word in ["alpha", "beta", "gamma", "delta", "epsilon"] {
            batch.add(RecordEvent.Request(endpoint: "GET /api/\(word)", durationSeconds: 0.01), now: 1_790_000_000)
        }
        batch.add(RecordEvent.Request(endpoint: "GET /api/runs/active", durationSeconds: 0.9), now: 1_790_000_000)
        let rows = batch.takeRows()
        #expect(batch.groupedCapReached)
        #expect(rows.first { $0.endpoint == "GET /api/runs/active" }?.statistics.requests == 2)
        #expect(rows.first { $0.endpoint == EndpointNormalizer.overflowName }?.statistics.requests == 3)
    }

    // MARK: Cardinality

    @Test(arguments: [1, 5, 50])
    func cardinalityCollapsesAPrefix(limit: Int) {
        var batch = RecordBatch(maxPendingRows: 1 << 20, grouping: RouteGrouping(cardinality: limit))
        var slugs: [String] = []
        for index in 0..<(limit + 30) {
            let letter = String(UnicodeScalar(UInt8(97 + index % 26)))
            slugs.append(String(repeating: letter, count: index / 26 + 1) + "slug")
        }
        var total = 0
        for slug in slugs {
            for method in ["GET", "DELETE"] {
                batch.add(
                    RecordEvent.Request(endpoint: "\(method) /api/users/\(slug)/posts", durationSeconds: 0.01),
                    now: 1_790_000_000)
                total += 1
            }
        }
        batch.add(RecordEvent.Request(endpoint: "GET /api/users/me/posts", durationSeconds: 0.01), now: 1_790_000_000)
        total += 1
        let rows = batch.takeRows()
        let names = Set(rows.map(\.endpoint))
        // All requests still counted, under at most the kept words and :id.
        #expect(rows.reduce(0) { $0 + Int($1.statistics.requests) } == total)
        #expect(names.contains("GET /api/users/:id/posts"))
        #expect(names.count <= 2 * (RouteGrouping.maxKeptLiterals + 1) + 1, "\(names.sorted())")
        #expect(batch.grouping.collapsed["/api/users"]?.position == 2)
    }

    @Test func storedEndpointsMergeIntoTheirRouteHistogramsIncluded() throws {
        let directory = try TemporaryDirectory()
        let store = try MonitorStore.openForWriting(path: directory.file("store.sqlite"), busyTimeoutSeconds: 5)
        try store.install(RouteStore.component)
        var rows: [MonitorStoreRow] = []
        var g = PEFTStudioRoutes.Generator(seed: 3)
        var expected: [String: UInt64] = [:]
        for index in 0..<400 {
            let route = PEFTStudioRoutes.routes[index % PEFTStudioRoutes.routes.count]
            // Raw names as an older version stored them.
            let raw =
                route.method + " "
                + PEFTStudioRoutes.path(for: route, &g)
                .replacing("job_", with: "job").replacing("local_", with: "local")
            var statistics = EndpointStatistics(endpoint: raw, significantDigits: 2)
            for sample in 0..<(1 + index % 5) {
                statistics.add(durationSeconds: Double(sample + 1) / 100, status: 200, error: nil)
            }
            expected[route.key, default: 0] += statistics.requests
            rows.append(
                MonitorStoreRow(
                    bucketStart: 1_790_000_040 - 60 * Int64(index % 3), bucketSeconds: 60, statistics: statistics,
                    firstSeen: 1_789_999_000, lastSeen: 1_789_999_000))
        }
        try store.write { try MonitorStore($0).add(rows) }
        let templates = Self.fixtureTemplates
        let merged = try store.write { db -> Int in
            try RouteStore.save(templates, source: "fixture", at: 1_790_000_000, on: db)
            var grouping = try RouteStore.grouping(in: store)
            return try RouteStore.regroupStoredEndpoints(in: db, grouping: &grouping)
        }
        #expect(merged > 28)
        let summary = try MonitorStore(store.connection).summary(since: nil)
        #expect(Dictionary(uniqueKeysWithValues: summary.endpoints.map { ($0.endpoint, $0.requests) }) == expected)
        for endpoint in summary.endpoints {
            #expect(endpoint.histogram.totalCount == endpoint.requests, "\(endpoint.endpoint)")
        }
        #expect(try RouteStore.templates(in: store).count == templates.count)
        #expect(try RouteStore.clear(store).templates == templates.count)
    }
}

/// `record`'s parser: `method`, `route` and `http.route` beside `endpoint`.
@Suite struct RecordEventRouteFieldTests {
    static func request(_ line: String) throws -> RecordEvent.Request? {
        guard case .request(let request)? = try RecordEventParser.parse(line, now: 1_790_000_000) else { return nil }
        return request
    }

    @Test func methodRouteAndTheOldForm() throws {
        let old = try #require(try Self.request(#"{"type":"request","endpoint":"GET /api/runs/1","duration_ms":1}"#))
        #expect(old.endpoint == "GET /api/runs/1" && old.method == nil && old.route == nil)
        let split = try #require(
            try Self.request(#"{"type":"request","method":"delete","endpoint":"/api/runs/1","duration_ms":1}"#))
        #expect(split.method == "DELETE")
        let otel = try #require(
            try Self.request(
                #"{"type":"request","http.request.method":"POST","http.route":"/api/runs/{job_id}","duration_ms":1}"#))
        #expect(otel.method == "POST" && otel.route == "/api/runs/{job_id}" && otel.endpoint.isEmpty)
        // Method separates GET, POST and DELETE on one path.
        var batch = RecordBatch()
        for method in ["GET", "POST", "DELETE", "GET"] {
            batch.add(
                try #require(
                    try Self.request(
                        #"{"type":"request","method":"\#(method)","endpoint":"/api/runs/run_20250112_143501","duration_ms":1}"#
                    )), now: 1_790_000_000)
        }
        batch.add(otel, now: 1_790_000_000)
        batch.add(
            try #require(
                try Self.request(
                    #"{"type":"request","endpoint":"GET /api/models/x/y","route":"/api/models/{model_id:path}","duration_ms":1}"#
                )), now: 1_790_000_000)
        let rows = batch.takeRows()
        #expect(
            Dictionary(uniqueKeysWithValues: rows.map { ($0.endpoint, $0.statistics.requests) }) == [
                "GET /api/runs/:id": 2, "POST /api/runs/:id": 1, "DELETE /api/runs/:id": 1,
                "POST /api/runs/{job_id}": 1, "GET /api/models/{model_id}": 1,
            ])
    }

    @Test(arguments: [
        (#"{"type":"request","duration_ms":1}"#, "missing \"endpoint\""),
        (#"{"type":"request","method":"GET","duration_ms":1}"#, "missing \"endpoint\""),
        (#"{"type":"request","method":"G T","endpoint":"/a","duration_ms":1}"#, "HTTP method"),
        (#"{"type":"request","method":7,"endpoint":"/a","duration_ms":1}"#, "must be a string"),
        (#"{"type":"request","method":"POST","endpoint":"GET /a","duration_ms":1}"#, "disagrees"),
        (#"{"type":"request","route":"a/{x}","endpoint":"/a","duration_ms":1}"#, "starting with '/'"),
        (
            #"{"type":"request","route":"/a","http.route":"/a","duration_ms":1}"#,
            #"give one of "route" and "http.route""#
        ),
        (
            #"{"type":"request","http.request.method":"GET","method":"GET","endpoint":"/a","duration_ms":1}"#,
            #"give one of "method" and "http.request.method""#
        ),
        (#"{"type":"request","method":"GET","method":"GET","endpoint":"/a","duration_ms":1}"#, "duplicate"),
    ])
    func badRouteFieldsAreBadLines(line: String, message: String) {
        do {
            _ = try RecordEventParser.parse(line, now: 1_790_000_000)
            Issue.record("accepted \(line)")
        } catch {
            #expect(error.reason.contains(message), "\(error.reason)")
        }
    }
}

/// The library's monitor (`measure {}`, the HTTP pool) names requests as `record` does.
@Suite struct MonitorRouteTests {
    @Test func measureNamesByRouteAndTemplatesAreNotCapped() throws {
        let directory = try TemporaryDirectory()
        let storePath = directory.file("store.sqlite")
        let store = try MonitorStore.openForWriting(path: storePath, busyTimeoutSeconds: 5)
        try store.install(RouteStore.component)
        try store.write { try RouteStore.save(RouteGroupingTests.fixtureTemplates, source: "fixture", at: 1, on: $0) }
        let service = PerformanceService(
            configuration: PerformanceService.Configuration(storePath: storePath, databasePath: nil),
            monitor: PerformanceMonitor(maxEndpoints: 2))
        try service.useStoredRoutes()
        let requests = PEFTStudioRoutes.requests(count: 500)
        for request in requests {
            service.measure(request.method + " " + request.path) { () }
        }
        service.monitor.record(endpoint: "GET /not/a/route/x", durationSeconds: 0.01, status: 200, error: nil)
        service.monitor.record(endpoint: "GET /not/a/route/y", durationSeconds: 0.01, status: 200, error: nil)
        service.monitor.record(endpoint: "GET /not/a/route/z", durationSeconds: 0.01, status: 200, error: nil)
        let names = Set(service.monitor.snapshot().endpoints.map(\.endpoint))
        #expect(names.isSuperset(of: PEFTStudioRoutes.routes.map(\.key)))
        #expect(names.contains(EndpointNormalizer.overflowName))
        #expect(names.count == PEFTStudioRoutes.routes.count + 3)
    }
}
