import Foundation
import PeftPerfCore
import Testing

/// Planted secrets never leave the process: a password in the URL, a bearer
/// token in `-H Authorization`, a password in the proxy URL and one in the
/// Pushgateway URL. Every output format, every written file, the store's
/// bytes (with its -wal and -shm) and what the Pushgateway received are
/// searched for them.
///
/// `BenchCommandTests.credentialsNeverReachOutput` checks bench's stdout and
/// stderr; this suite covers every other place.
@Suite struct SecretsLeakTests {
    static let password = "S3cretPlanted"
    static let token = "S3cretToken"
    static let proxyPassword = "Pr0xyS3cret"
    static let gatewayPassword = "G4tewayS3cret"
    static let secrets = [password, token, proxyPassword, gatewayPassword]

    /// Asserts that none of the secrets occurs in `bytes`.
    static func expectClean(_ bytes: Data, _ place: String) {
        for secret in secrets {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) leaked into \(place)")
        }
    }

    static func expectClean(_ result: CLIHarness.Result, _ place: String) {
        #expect(!result.signaled, "\(place) crashed")
        expectClean(Data(result.stdout.utf8), "stdout of \(place)")
        expectClean(Data(result.stderr.utf8), "stderr of \(place)")
    }

    /// Every file under `directory`, the store and its -wal/-shm included.
    static func expectCleanFiles(in directory: URL) throws -> Int {
        var checked = 0
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for name in names {
            let path = directory.appendingPathComponent(name).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            expectClean(try Data(contentsOf: URL(fileURLWithPath: path)), name)
            checked += 1
        }
        return checked
    }

    @Test func benchLeaksNoSecretInAnyOutputFileOrTheStore() throws {
        var configuration = HTTPLoopbackServer.Configuration()
        configuration.keepRequests = 100
        let server = try HTTPLoopbackServer(faults: configuration)
        defer { server.stop() }
        let proxy = try HTTPLoopbackServer(faults: .init())
        defer { proxy.stop() }
        var gatewayConfiguration = HTTPLoopbackServer.Configuration()
        gatewayConfiguration.keepRequests = 10
        let gateway = try HTTPLoopbackServer(faults: gatewayConfiguration)
        defer { gateway.stop() }
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let url = "http://user:\(Self.password)@127.0.0.1:\(server.port)/items/7?page=2"
        let failing = "http://user:\(Self.password)@127.0.0.1:\(server.port)/malformed/status"
        let common = [
            "bench", "--url", url, "--url", failing, "--requests", "12", "-c", "2", "--store", store, "-v",
            "-H", "Authorization: Bearer \(Self.token)", "--assert", "errors==0",
        ]
        var runs = 0
        for (index, extra) in [
            [],
            ["--json"],
            ["-o", directory.appendingPathComponent("out-table.txt").path],
            ["--json", "-o", directory.appendingPathComponent("out.json").path],
            [
                "--markdown", directory.appendingPathComponent("report.md").path, "--junit",
                directory.appendingPathComponent("junit.xml").path,
            ],
            ["--proxy", "http://puser:\(Self.proxyPassword)@127.0.0.1:\(proxy.port)/"],
            ["--push-gateway", "http://gw:\(Self.gatewayPassword)@127.0.0.1:\(gateway.port)/", "--job", "leak"],
        ].enumerated() {
            let result = try CLIHarness.run(common + extra)
            // The failing target and errors==0 make every run fail, so error
            // paths print too; through the proxy (which answers 200 to
            // anything) the run passes.
            let expected: Int32 = extra.first == "--proxy" ? 0 : 1
            #expect(result.status == expected, "run \(index): \(result.stderr) \(result.stdout)")
            Self.expectClean(result, "bench run \(index) \(extra)")
            runs += 1
        }
        #expect(runs == 7)
        // The requests did carry the secrets: the test would see a leak.
        let received = server.receivedRequests
        #expect(received.contains { $0.headers.contains("Authorization: Bearer \(Self.token)") })
        #expect(proxy.requestsServed > 0, "the proxy run went through the proxy")
        for pushed in gateway.receivedRequests {
            Self.expectClean(Data(pushed.body), "the Pushgateway body")
            Self.expectClean(Data(pushed.path.utf8), "the Pushgateway path")
        }
        #expect(!gateway.receivedRequests.isEmpty)
        #expect(FileManager.default.fileExists(atPath: store))
        let checked = try Self.expectCleanFiles(in: directory)
        #expect(checked >= 5, "store, table, json, markdown and junit files")
        // The store holds the run, under the redacted URL.
        let metrics = try CLIHarness.run(["metrics", "--json", "--store", store])
        #expect(metrics.stdout.contains("GET http://127.0.0.1:\(server.port)/items/:id"), "\(metrics.stdout)")
        Self.expectClean(metrics, "metrics of the store")
    }

    @Test func metricsProbesLeakNoSecretInAnyFormatOrTheStore() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        let urls = [
            "http://user:\(Self.password)@127.0.0.1:\(server.port)/health",
            "http://user:\(Self.password)@127.0.0.1:\(server.port)/malformed/nocolon",
            "http://user:\(Self.password)@127.0.0.1:1/refused",
        ]
        var arguments = ["metrics", "--store", store, "--probe", "2", "--timeout", "5s", "-v", "--record"]
        for url in urls { arguments += ["--url", url] }
        for format in [["--format", "table"], ["--json"], ["--format", "prometheus"]] {
            let result = try CLIHarness.run(arguments + format)
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.stdout.contains("127.0.0.1:\(server.port)/health"), "\(format)")
            Self.expectClean(result, "metrics \(format)")
            let written = try CLIHarness.run(
                arguments + format + ["-o", directory.appendingPathComponent("metrics-\(format.last ?? "").out").path])
            #expect(written.status == 0, "\(format): \(written.stderr)")
        }
        #expect(try Self.expectCleanFiles(in: directory) >= 4)
        // Reports read back from the store, without probing.
        for format in [["--format", "table"], ["--json"], ["--format", "prometheus"]] {
            Self.expectClean(try CLIHarness.run(["metrics", "--store", store] + format), "stored metrics \(format)")
        }
        Self.expectClean(try CLIHarness.run(["recommend", "--store", store, "--json"]), "recommend")
    }

    @Test func malformedURLsWithCredentialsAreRefusedWithoutEchoingThem() throws {
        for url in [
            "ftp://user:\(Self.password)@127.0.0.1/", "http://user:\(Self.password)@127.0.0.1:99999/",
            "http://user:\(Self.password)@127.0.0.1:80/a b", "gopher://user:\(Self.password)@127.0.0.1/",
        ] {
            for command in [["bench", "--requests", "1"], ["metrics", "--probe", "1"]] {
                let result = try CLIHarness.run(command + ["--url", url])
                #expect(result.status == 2, "\(command) \(url): \(result.stderr)")
                #expect(result.stderr.hasPrefix("peft-perf: error:"))
                Self.expectClean(result, "\(command) \(url)")
            }
        }
        let proxy = try CLIHarness.run([
            "bench", "--url", "http://127.0.0.1:1/", "--requests", "1", "--proxy",
            "ftp://p:\(Self.proxyPassword)@127.0.0.1/",
        ])
        #expect(proxy.status == 2)
        Self.expectClean(proxy, "a bad --proxy")
    }

    @Test func secretsInEnvironmentURLsAndFailedPushesStayHidden() throws {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("store.sqlite").path
        // URLs from PEFT_PERF_URLS, one of them with a refused scheme.
        let refused = try CLIHarness.run(
            ["metrics", "--store", store, "--probe", "1"],
            environment: [
                "PEFT_PERF_URLS":
                    "http://user:\(Self.password)@127.0.0.1:\(server.port)/,ftp://user:\(Self.password)@h/"
            ])
        #expect(refused.status == 2)
        Self.expectClean(refused, "PEFT_PERF_URLS with a bad URL")
        let probed = try CLIHarness.run(
            ["metrics", "--store", store, "--probe", "2", "--record", "--json"],
            environment: ["PEFT_PERF_URLS": "http://user:\(Self.password)@127.0.0.1:\(server.port)/env"])
        #expect(probed.status == 0, "\(probed.stderr)")
        #expect(probed.stdout.contains("127.0.0.1:\(server.port)/env"))
        Self.expectClean(probed, "PEFT_PERF_URLS")
        // A Pushgateway and a proxy that cannot be reached: their errors name them, without passwords.
        let unreachable = try CLIHarness.run([
            "bench", "--url", "http://user:\(Self.password)@127.0.0.1:\(server.port)/", "-n", "3", "-c", "1",
            "--store", store, "-H", "Authorization: Bearer \(Self.token)", "--push-gateway",
            "http://gw:\(Self.gatewayPassword)@127.0.0.1:1/", "-v",
        ])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("--push-gateway: cannot push"), "\(unreachable.stderr)")
        Self.expectClean(unreachable, "an unreachable Pushgateway")
        let proxy = try CLIHarness.run([
            "bench", "--url", "http://user:\(Self.password)@127.0.0.1:\(server.port)/", "-n", "3", "-c", "1",
            "--store", store, "--proxy", "http://p:\(Self.proxyPassword)@127.0.0.1:1/", "-v", "--json",
        ])
        #expect(proxy.status == 1)
        #expect(proxy.stdout.contains("\"connect\" : 3"), "the proxy was used and refused")
        Self.expectClean(proxy, "an unreachable proxy")
        #expect(try Self.expectCleanFiles(in: directory) >= 1)
    }
}
