import Foundation
import PeftPerfCore
import Synchronization
import Testing

/// Many processes writing one store at once, while others read it.
///
/// Eight writers (six `record`, three from files and three from stdin, and two
/// `bench` runs against a loopback server) start together against one store
/// that does not exist yet, so they also race to create it; two more
/// processes loop `metrics --json` and `cache stats --json` against it until
/// the writers are done. Afterwards every count in the store must be exactly
/// the sum of what was fed: the store's writes are `BEGIN IMMEDIATE`
/// transactions that merge rows under the write lock, and the busy timeout
/// makes a process wait for the lock instead of failing "database is locked".
@Suite struct StoreStressTests {
    /// One `record` writer's input, and what it adds up to.
    struct RecordInput {
        var text = ""
        var requests: [String: Int] = [:]
        var queries: [String: Int] = [:]
    }

    static let queryShapes = [
        "SELECT * FROM training_runs WHERE id = ", "SELECT name FROM jobs WHERE status = 'state-",
    ]

    /// Writer `k`'s NDJSON: a known number of requests per endpoint, and of
    /// query calls per normalized statement, interleaved.
    static func recordInput(_ k: Int) -> RecordInput {
        var input = RecordInput()
        let requestCount = 2000 + 250 * k
        for i in 0..<requestCount {
            // Five named endpoints, and ids that normalize to one name.
            let endpoint = i % 6 == 5 ? "GET /stress/items/\(i * 31 + k)" : "GET /stress/ep\(i % 6)"
            input.text +=
                #"{"type":"request","endpoint":"\#(endpoint)","duration_ms":\#(1 + i % 40),"status":\#(i % 9 == 0 ? 500 : 200)}"#
                + "\n"
            input.requests[EndpointNormalizer.normalize(endpoint), default: 0] += 1
            if i % 4 == 0 {
                let shape = Self.queryShapes[(i / 4) % 2]
                let sql = shape == Self.queryShapes[0] ? shape + String(i) : shape + String(i) + "'"
                input.text += #"{"type":"query","sql":"\#(sql)","duration_ms":\#(1 + i % 7),"db":"app.db"}"# + "\n"
                input.queries[SQLNormalizer.normalize(sql), default: 0] += 1
            }
        }
        return input
    }

    @Test func eightWritersAndTwoReadersAddUpExactly() throws {
        let directory = try ScratchRoot.directory()
        let store = directory.appendingPathComponent("shared/store.sqlite").path
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }

        var expectedRequests: [String: Int] = [:]
        var expectedQueries: [String: Int] = [:]
        var writers: [ChildProcess] = []
        var streamed: [(ChildProcess, String)] = []
        for k in 0..<6 {
            let input = Self.recordInput(k)
            expectedRequests.merge(input.requests, uniquingKeysWith: +)
            expectedQueries.merge(input.queries, uniquingKeysWith: +)
            if k < 3 {
                let file = directory.appendingPathComponent("events-\(k).ndjson")
                try Data(input.text.utf8).write(to: file)
                writers.append(
                    try ChildProcess(["record", file.path, "--store", store, "--json"], directory: directory))
            } else {
                let child = try ChildProcess(
                    ["record", "-", "--store", store, "--json"], input: .pipe, directory: directory)
                writers.append(child)
                streamed.append((child, input.text))
            }
        }
        let benchRequests = 200
        for k in 0..<2 {
            let url = server.baseURL + "/stress/bench\(k)"
            writers.append(
                try ChildProcess(
                    [
                        "bench", "--url", url, "--requests", String(benchRequests), "-c", "2", "-t", "1", "--store",
                        store,
                    ],
                    directory: directory))
            expectedRequests[EndpointNormalizer.normalize("GET " + url), default: 0] += benchRequests
        }
        #expect(writers.count == 8)

        // The readers loop until the writers are done (at least once each).
        let writersDone = SharedFlag()
        let readerResults = SharedResults()
        var readers: [Thread] = []
        let readersFinished = DispatchGroup()
        for command in [["metrics", "--json"], ["cache", "stats", "--json"]] {
            readersFinished.enter()
            let thread = Thread {
                defer { readersFinished.leave() }
                repeat {
                    let result: CLIHarness.Result
                    do {
                        result = try ChildProcess.run(command + ["--store", store], directory: directory)
                    } catch {
                        result = CLIHarness.Result(stdout: "", stderr: "\(error)", status: -1, signaled: false)
                    }
                    readerResults.append(result)
                } while !writersDone.isSet
            }
            thread.start()
            readers.append(thread)
        }

        for (child, text) in streamed {
            try child.write(text)
            child.closeInput()
        }
        var writerResults: [CLIHarness.Result] = []
        for writer in writers {
            writerResults.append(try writer.wait(timeout: 120))
        }
        writersDone.set()
        #expect(readersFinished.wait(timeout: .now() + 120) == .success)

        for (writer, result) in zip(writers, writerResults) {
            let command = writer.arguments.prefix(2).joined(separator: " ")
            #expect(result.status == 0, "\(command): \(result.stderr)")
            #expect(!result.stderr.contains("database is locked"), "\(command): \(result.stderr)")
            #expect(!result.stderr.contains("could not record"), "\(command): \(result.stderr)")
        }
        let reads = readerResults.all
        #expect(reads.count >= 2)
        for result in reads {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.contains("database is locked"), "\(result.stderr)")
            #expect((try? JSONObject.parse(result.stdout)) != nil, "\(result.stdout)")
        }

        // Each record run says what it recorded, and the store holds exactly the sum.
        var reportedRequests = 0
        for result in writerResults.prefix(6) {
            reportedRequests += (try? JSONObject.parse(result.stdout))?["requests_recorded"] as? Int ?? -1
        }
        #expect(reportedRequests == (0..<6).map { 2000 + 250 * $0 }.reduce(0, +))

        let db = try SQLiteConnection(path: store, mode: .readOnly)
        var storedRequests: [String: Int] = [:]
        for row in try db.query("SELECT endpoint, sum(requests) FROM monitor_requests GROUP BY endpoint") {
            storedRequests[row.string(0) ?? "", default: 0] += row.int(1) ?? 0
        }
        #expect(storedRequests == expectedRequests)
        var storedQueries: [String: Int] = [:]
        for row in try db.query("SELECT statement, sum(calls) FROM query_stats GROUP BY statement") {
            storedQueries[row.string(0) ?? "", default: 0] += row.int(1) ?? 0
        }
        #expect(storedQueries == expectedQueries)
        #expect(storedQueries.count == 2)
        #expect(try db.scalar("PRAGMA integrity_check").stringValue == "ok")

        let total = expectedRequests.values.reduce(0, +)
        let metrics = try CLIHarness.run(["metrics", "--json", "--store", store])
        #expect(metrics.status == 0, "\(metrics.stderr)")
        let requests = try JSONObject.parse(metrics.stdout)["requests"] as? [String: Any]
        #expect(requests?["total_requests"] as? Int == total)

        // What the metrics loop saw while the writers ran: whole batches only, so
        // the total never went down and never passed the final one.
        let seen = reads.compactMap { (try? JSONObject.parse($0.stdout))?["requests"] as? [String: Any] }
            .map { $0["total_requests"] as? Int ?? 0 }
        #expect(!seen.isEmpty)
        #expect(seen == seen.sorted(), "a reader saw the total go down: \(seen)")
        #expect(seen.allSatisfy { $0 <= total }, "\(seen)")
    }
}

/// A flag one thread raises and others poll.
final class SharedFlag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { self.value.load(ordering: .acquiring) }
    func set() { self.value.store(true, ordering: .releasing) }
}

/// Results appended by several threads.
final class SharedResults: Sendable {
    private let results = Mutex<[CLIHarness.Result]>([])
    func append(_ result: CLIHarness.Result) { self.results.withLock { $0.append(result) } }
    var all: [CLIHarness.Result] { self.results.withLock { $0 } }
}
