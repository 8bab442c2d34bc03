/// PEFT Studio-shaped routes, its OpenAPI document and request streams with
/// ids shaped as PEFT Studio makes them, for the route-grouping tests and
/// benchmark.
///
/// The document is what FastAPI publishes: `{model_id:path}` appears as
/// `{model_id}` (give `--path-param model_id`), literal and parameter
/// siblings (`/api/runs/active` beside `/api/runs/{job_id}`), several methods
/// per path, and optionally a `servers` prefix (`/v1`).
public enum PEFTStudioRoutes {
    /// One route requests hit: method and template as the key shows it.
    public struct Route: Sendable, Hashable {
        public let method: String
        public let template: String
        public var key: String { self.method + " " + self.template }
    }

    /// The 28 routes the generated traffic hits.
    public static let routes: [Route] = [
        ("GET", "/api/runs"), ("POST", "/api/runs"), ("GET", "/api/runs/active"), ("GET", "/api/runs/compare"),
        ("GET", "/api/runs/{job_id}"), ("DELETE", "/api/runs/{job_id}"), ("GET", "/api/runs/{job_id}/logs"),
        ("GET", "/api/runs/{job_id}/metrics"), ("POST", "/api/runs/{job_id}/cancel"),
        ("GET", "/api/runs/{job_id}/checkpoints"), ("GET", "/api/runs/{job_id}/checkpoints/{checkpoint_id}"),
        ("GET", "/api/models"), ("GET", "/api/models/{model_id}"), ("GET", "/api/presets"), ("POST", "/api/presets"),
        ("GET", "/api/presets/{preset_id}"), ("PUT", "/api/presets/{preset_id}"),
        ("DELETE", "/api/presets/{preset_id}"), ("GET", "/api/datasets"), ("GET", "/api/datasets/{dataset_id}"),
        ("POST", "/api/datasets/{dataset_id}/validate"), ("GET", "/api/system/gpu"), ("GET", "/api/system/health"),
        ("GET", "/api/jobs/{job_id}/status"), ("GET", "/api/hub/search"), ("GET", "/docs"),
        ("GET", "/docs/oauth2-redirect"), ("GET", "/openapi.json"),
    ].map { Route(method: $0.0, template: $0.1) }

    /// Filler sections, so that the document has 132 templates like PEFT Studio's.
    public static let fillerSections = 52

    /// Number of templates in ``openAPIDocument(serverPrefix:)``.
    public static var templateCount: Int { Self.routes.count + 2 * Self.fillerSections }

    /// The OpenAPI 3 document (JSON), with `servers: [{url: serverPrefix}]` when given.
    public static func openAPIDocument(serverPrefix: String? = nil) -> String {
        var byPath: [String: [String]] = [:]
        var order: [String] = []
        func add(_ method: String, _ path: String) {
            if byPath[path] == nil { order.append(path) }
            byPath[path, default: []].append(method.lowercased())
        }
        for route in Self.routes { add(route.method, route.template) }
        for section in 0..<Self.fillerSections {
            add("GET", "/api/admin/section\(section)")
            add("PATCH", "/api/admin/section\(section)/{item_id}")
        }
        var paths: [String] = []
        for path in order {
            let operations = byPath[path]!.map { method in
                #""\#(method)":{"operationId":"\#(method)_\#(path.replacing("/", with: "_"))","responses":{"200":{"description":"OK"}}}"#
            }
            let parameters = path.contains("{") ? #","parameters":[{"name":"x","in":"path","required":true}]"# : ""
            paths.append(#""\#(path)":{\#(operations.joined(separator: ","))\#(parameters)}"#)
        }
        let servers = serverPrefix.map { #""servers":[{"url":"\#($0)"}],"# } ?? ""
        return
            #"{"openapi":"3.1.0","info":{"title":"PEFT Studio","version":"1.0.0"},\#(servers)"paths":{\#(paths.joined(separator: ","))}}"#
    }

    /// The same routes as a plain template file (`{model_id:path}` spelled out).
    public static var plainTemplates: String {
        var lines = ["# PEFT Studio routes"]
        for route in Self.routes {
            lines.append(route.method + " " + route.template.replacing("{model_id}", with: "{model_id:path}"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A deterministic generator (SplitMix64).
    public struct Generator: Sendable {
        var state: UInt64
        public init(seed: UInt64) { self.state = seed }
        public mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        public mutating func below(_ n: Int) -> Int { Int(self.next() % UInt64(n)) }
    }

    static let modelIDs = [
        "meta-llama/Llama-2-7b-hf", "meta-llama/Llama-2-13b-chat-hf", "mistralai/Mistral-7B-v0.1",
        "TheBloke/Llama-2-13B-GPTQ", "google/gemma-2b", "microsoft/phi-2", "gpt2", "Qwen/Qwen2-0.5B",
    ]

    /// A job id in one of PEFT Studio's shapes.
    public static func jobID(_ g: inout Generator) -> String {
        let n = g.next()
        switch g.below(6) {
        case 0:
            return
                "job_2024\(String(format2: 1 + n % 12))\(String(format2: 1 + (n >> 8) % 28))_\(100_000 + (n >> 16) % 900_000)_\(String((n >> 40) % 0xFFFFFF, radix: 16).leftPadded(6))"
        case 1: return "local_\(100_000 + n % 900_000)"
        case 2:
            return
                "run_2025\(String(format2: 1 + n % 12))\(String(format2: 1 + (n >> 8) % 28))_\(100_000 + (n >> 16) % 900_000)"
        case 3: return "new-job-\(n % 1000)"
        case 4:
            let hex = String(n, radix: 16).leftPadded(16) + String(g.next(), radix: 16).leftPadded(16)
            let a = Array(hex)
            return String(a[0..<8]) + "-" + String(a[8..<12]) + "-" + String(a[12..<16]) + "-" + String(a[16..<20])
                + "-" + String(a[20..<32])
        default: return String(n % 100_000)
        }
    }

    /// A concrete path for `route`, with generated ids.
    public static func path(for route: Route, _ g: inout Generator) -> String {
        var path = route.template
        path = path.replacing("{job_id}", with: Self.jobID(&g))
        path = path.replacing("{checkpoint_id}", with: "checkpoint-\(500 * (1 + g.below(40)))")
        path = path.replacing("{model_id}", with: Self.modelIDs[g.below(Self.modelIDs.count)])
        path = path.replacing("{preset_id}", with: "preset_\(g.below(60))")
        path = path.replacing(
            "{dataset_id}", with: "ds-2024-\(String(format2: UInt64(1 + g.below(12))))-\(g.below(90))")
        return path
    }

    /// One generated request: method, raw path (sometimes with a query), and the key it must get with templates.
    public struct Request: Sendable {
        public let method: String
        public let path: String
        public let route: Route
    }

    /// `count` requests over all routes (each at least once), from `seed`.
    public static func requests(count: Int, seed: UInt64 = 42) -> [Request] {
        var g = Generator(seed: seed)
        var out: [Request] = []
        out.reserveCapacity(count)
        for index in 0..<count {
            let route = index < Self.routes.count ? Self.routes[index] : Self.routes[g.below(Self.routes.count)]
            var path = Self.path(for: route, &g)
            if g.below(10) == 0 { path += "?limit=\(g.below(100))" }
            out.append(Request(method: route.method, path: path, route: route))
        }
        return out
    }
}

extension String {
    init(format2 value: UInt64) { self = value < 10 ? "0\(value)" : "\(value)" }

    func leftPadded(_ width: Int) -> String {
        self.count >= width ? self : String(repeating: "0", count: width - self.count) + self
    }
}
