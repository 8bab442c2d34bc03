import Foundation
import PeftPerfTestSupport
import Testing

/// `record` throughput on PEFT Studio-shaped traffic: 1M request events over
/// about 600 raw paths with ids, which the 132 templates of the OpenAPI
/// fixture map to 28 routes; with the templates imported, without them
/// (id rules and cardinality grouping), and the same number of events on one
/// endpoint for reference. Five runs each, in turn; the median is printed.
///
/// Runs the release binary, only with `PEFT_PERF_BENCH` set:
/// `swift build -c release --product peft-perf && PEFT_PERF_BENCH=1 swift test --filter RouteRecordBenchmarkTests`
/// (`PEFT_PERF_BINARY` overrides `.build/release/peft-perf`,
/// `PEFT_PERF_BENCH_EVENTS` the 1M). Asserts the issue's target: at least 1M
/// events/s with and without templates.
@Suite struct RouteRecordBenchmarkTests {
    static var enabled: Bool { ProcessInfo.processInfo.environment["PEFT_PERF_BENCH"] != nil }
    static var events: Int {
        ProcessInfo.processInfo.environment["PEFT_PERF_BENCH_EVENTS"].flatMap(Int.init) ?? 1_000_000
    }
    static var binary: String {
        ProcessInfo.processInfo.environment["PEFT_PERF_BINARY"]
            ?? FileManager.default.currentDirectoryPath + "/.build/release/peft-perf"
    }

    /// About 600 distinct raw request lines (method and path) over the 28 routes.
    static func rawPaths(count: Int = 600) -> [(method: String, path: String)] {
        var seen = Set<String>()
        var out: [(String, String)] = []
        var seed: UInt64 = 1
        while out.count < count {
            for request in PEFTStudioRoutes.requests(count: 2000, seed: seed) where out.count < count {
                if seen.insert(request.method + " " + request.path).inserted {
                    out.append((request.method, request.path))
                }
            }
            seed += 1
        }
        return out
    }

    /// Writes `events` lines, cycling pseudo-randomly over `paths`, spread over the last hour.
    static func writeEvents(to path: String, paths: [(method: String, path: String)], events: Int) throws {
        let now = Date().timeIntervalSince1970.rounded(.down)
        var g = PEFTStudioRoutes.Generator(seed: 11)
        var text = ""
        text.reserveCapacity(events * 120)
        for index in 0..<events {
            let (method, raw) = paths[g.below(paths.count)]
            let ts = Int(now) - 3600 + index * 3600 / events
            let ms = 5 + g.below(400)
            if index % 2 == 0 {
                text +=
                    #"{"type":"request","method":"\#(method)","endpoint":"\#(raw)","duration_ms":\#(ms),"status":200,"ts":\#(ts)}"#
            } else {
                text +=
                    #"{"type":"request","endpoint":"\#(method) \#(raw)","duration_ms":\#(ms),"status":200,"ts":\#(ts)}"#
            }
            text += "\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func run(_ arguments: [String]) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        let output = try ExternalTool.run(Self.binary, arguments, input: nil, environment: nil, timeout: 600)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        guard output.status == 0 else {
            throw BenchmarkFailure(description: "\(arguments): exit \(output.status): \(output.stderr)")
        }
        return seconds
    }

    struct BenchmarkFailure: Error, CustomStringConvertible {
        let description: String
    }

    @Test(.enabled(if: enabled, "a benchmark: PEFT_PERF_BENCH=1 runs it")) func recordThroughputByRoute() throws {
        #expect(
            FileManager.default.isExecutableFile(atPath: Self.binary),
            "build it: swift build -c release --product peft-perf")
        let directory = try TemporaryDirectory()
        let paths = Self.rawPaths()
        defer {
            // PEFT_PERF_BENCH=keep leaves the event files for profiling.
            if ProcessInfo.processInfo.environment["PEFT_PERF_BENCH"] == "keep" {
                for name in ["routed.ndjson", "single.ndjson", "openapi.json"] {
                    _ = try? FileManager.default.copyItem(
                        atPath: directory.file(name), toPath: "/tmp/peft-perf-bench-" + name)
                }
            }
        }
        let routed = directory.file("routed.ndjson")
        let single = directory.file("single.ndjson")
        try Self.writeEvents(to: routed, paths: paths, events: Self.events)
        try Self.writeEvents(to: single, paths: [("GET", "/api/runs")], events: Self.events)
        let openAPI = directory.file("openapi.json")
        try Data(PEFTStudioRoutes.openAPIDocument().utf8).write(to: URL(fileURLWithPath: openAPI))

        var figures: [String: [Double]] = [:]
        for round in 0..<5 {
            for mode in ["templates", "grouping", "one endpoint"] {
                let store = directory.file("store-\(mode.first!)-\(round).sqlite")
                if mode == "templates" {
                    _ = try Self.run(["routes", "import", openAPI, "--path-param", "model_id", "--store", store])
                }
                let seconds = try Self.run([
                    "record", "--quiet", "--store", store, mode == "one endpoint" ? single : routed,
                ])
                figures[mode, default: []].append(Double(Self.events) / seconds)
                TemporaryDirectory.removeTree(store)
            }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print(
            "record, \(Self.events) request events, \(paths.count) raw paths, 28 routes, \(PEFTStudioRoutes.templateCount) templates; events/s over 5 runs (median):"
        )
        for mode in ["templates", "grouping", "one endpoint"] {
            let runs = figures[mode]!.map { String(Int($0)) }.joined(separator: " ")
            print("  \(mode): median \(Int(median(figures[mode]!))) (runs: \(runs))")
        }
        print(
            "  ratio to one endpoint: templates \(median(figures["templates"]!) / median(figures["one endpoint"]!)), grouping \(median(figures["grouping"]!) / median(figures["one endpoint"]!))"
        )
        #expect(median(figures["templates"]!) >= 1_000_000)
        #expect(median(figures["grouping"]!) >= 1_000_000)
    }
}
