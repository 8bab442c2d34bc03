#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import PeftPerfCore
import PeftPerfTestSupport
import Testing

/// What `metrics --api` adds over the service's own response time, against
/// curl fetching the same two endpoints (`metrics` and `endpoints`, one
/// connection) from the real FastAPI app, alternating, in the same run.
/// Prints medians; asserts no time. The budget is 20 ms.
///
/// `PEFT_PERF_BENCH=1 swift test --filter LiveAPIOverheadBenchmark`; set
/// `PEFT_PERF_BINARY=.build/release/peft-perf` (after
/// `swift build -c release --product peft-perf`) for the shipped binary's
/// figures: the debug binary's are an upper bound.
@Suite struct LiveAPIOverheadBenchmark {
    static var enabled: Bool { getenv("PEFT_PERF_BENCH") != nil }
    static var rounds: Int { getenv("PEFT_PERF_BENCH_ROUNDS").flatMap { Int(String(cString: $0)) } ?? 10 }

    /// `PEFT_PERF_BINARY`, or the `peft-perf` binary next to the test bundle.
    static var binary: String {
        if let path = getenv("PEFT_PERF_BINARY") { return String(cString: path) }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = exe.deletingLastPathComponent()
        while directory.path != "/",
            !FileManager.default.fileExists(atPath: directory.appendingPathComponent("peft-perf").path)
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("peft-perf").path
    }

    /// Runs `executable` and returns its wall time in seconds and its stdout.
    static func timed(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> (
        Double, String
    ) {
        let start = MonotonicClock.nanoseconds()
        let output = try ExternalTool.run(executable, arguments, input: nil, environment: environment, timeout: 60)
        let seconds = MonotonicClock.seconds(since: start)
        guard output.status == 0 else {
            throw TestSupportError("\(executable) \(arguments) exited \(output.status): \(output.stderr)")
        }
        return (seconds, output.stdout)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }

    @Test(.enabled(if: enabled, "a benchmark: PEFT_PERF_BENCH=1 runs it")) func metricsAPIOverCurl() throws {
        let curl = try RequiredTool.require("curl", install: "apt-get install curl")
        let directory = try TemporaryDirectory()
        let app = try PEFTStudioApp(directory: directory.path)
        try app.driveTraffic(slowQueries: 1)
        let home = directory.file("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home]
        let urls = ["/api/performance/metrics", "/api/performance/endpoints"].map { app.baseURL + $0 }
        let curlArguments =
            ["-s", "-f", "-w", "%{time_total}\n"] + urls.flatMap { ["-o", "/dev/null", $0] }
        let peftArguments = ["metrics", "--api", app.baseURL, "--format", "json"]

        // One of each first, unmeasured: page cache, Python's first-call paths.
        _ = try Self.timed(curl, curlArguments, environment: environment)
        _ = try Self.timed(Self.binary, peftArguments, environment: environment)
        var curlWall: [Double] = []
        var curlTransfer: [Double] = []
        var peftWall: [Double] = []
        for _ in 0..<Self.rounds {
            let (seconds, output) = try Self.timed(curl, curlArguments, environment: environment)
            curlWall.append(seconds)
            curlTransfer.append(output.split(separator: "\n").compactMap { Double($0) }.reduce(0, +))
            peftWall.append(try Self.timed(Self.binary, peftArguments, environment: environment).0)
        }
        let added = Self.median(peftWall) - Self.median(curlWall)
        print(
            """
            metrics --api against the FastAPI app (metrics + endpoints), medians of \(Self.rounds) alternating runs, \(Self.binary):
              curl, both endpoints, one connection:    wall \(Self.ms(Self.median(curlWall))) (transfer \(Self.ms(Self.median(curlTransfer))))
              peft-perf metrics --api --format json:   wall \(Self.ms(Self.median(peftWall)))
              added by peft-perf over curl:            \(Self.ms(added)) (budget 20 ms)
            """)
        #expect(curlWall.count == Self.rounds && peftWall.count == Self.rounds)
    }
}
