#if canImport(Glibc)
    import Glibc
#endif
public import Foundation
public import PeftPerfCore
public import Testing

/// The real FastAPI + uvicorn + SQLAlchemy app the test suite ships
/// (`Tests/Fixtures/peft_studio_app`), shaped like PEFT Studio's backend and
/// serving its 8 `/api/performance/*` endpoints; started by a test on
/// 127.0.0.1 with a port the kernel picks (the app prints it).
///
/// `.ci/deps --test` installs fastapi, uvicorn and sqlalchemy (pinned) and
/// psutil; ``requirePython()`` fails the test under `CI=true` when any is missing.
public final class PEFTStudioApp {
    /// The fixture's directory in the source tree.
    public static var fixtureDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/peft_studio_app")
    }

    /// python3 with every module the app imports, or a missing-tool failure
    /// (under CI) or cancellation (elsewhere).
    public static func requirePython(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let install = ".ci/deps --test installs fastapi, uvicorn, sqlalchemy and psutil with pip"
        let python = try RequiredTool.require("python3", install: install, sourceLocation: sourceLocation)
        let check = try ExternalTool.run(
            python, ["-c", "import fastapi, uvicorn, sqlalchemy, psutil"], input: nil, environment: nil, timeout: 60)
        if check.status != 0 {
            try RequiredTool.missing(
                "python3 cannot import the fixture app's modules (\(install)): \(check.stderr)",
                sourceLocation: sourceLocation)
        }
        return python
    }

    private let process: RunningProcess
    public let port: Int
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String
    /// The app's SQLite file.
    public let databasePath: String
    /// What the app printed on stderr, for failure messages.
    private let stderrPath: String

    /// Starts the app on a database in `directory`.
    ///
    /// - Parameters:
    ///   - slowQuerySeconds: the app's slow-query threshold.
    ///   - seedRows: training runs created at start (ids `job_20250101_1000NN_…`).
    ///   - port: the port to listen on; 0 lets the kernel pick one. A test
    ///     restarts the app on its old port to show the service restarting.
    public init(
        directory: String, slowQuerySeconds: Double = 0.1, seedRows: Int = 20, port: Int = 0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let python = try Self.requirePython(sourceLocation: sourceLocation)
        self.databasePath = directory + "/peft_studio.sqlite"
        self.stderrPath = directory + "/peft_studio_app.stderr"
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        environment["PYTHONUNBUFFERED"] = "1"
        self.process = try RunningProcess(
            python,
            [
                Self.fixtureDirectory.appendingPathComponent("serve.py").path, "--db", self.databasePath,
                "--slow-query-seconds", String(slowQuerySeconds), "--seed-rows", String(seedRows), "--port",
                String(port),
            ], environment: environment, stdout: .capture, stderr: .file(self.stderrPath))
        // The first line is `PEFT_STUDIO_FIXTURE_PORT=N`, printed once the socket listens.
        let output = self.process.waitForOutput(timeout: 60) { $0.contains("\n") }
        let line = output?.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init)
        guard let line, line.hasPrefix("PEFT_STUDIO_FIXTURE_PORT="),
            let port = Int(line.dropFirst("PEFT_STUDIO_FIXTURE_PORT=".count))
        else {
            self.process.stop(grace: 10)
            let log = (try? String(contentsOfFile: self.stderrPath, encoding: .utf8)) ?? ""
            let printed = self.process.standardOutput
            throw TestSupportError("the FastAPI fixture app did not start: '\(line ?? printed)'; \(log)")
        }
        self.port = port
        self.baseURL = "http://127.0.0.1:\(port)"
        // Wait until uvicorn answers (connections made earlier wait in the backlog).
        for _ in 0..<600 {
            if (try? self.request(.get, "/api/performance/cache/stats").status) == 200 { return }
            guard self.process.isRunning else { break }
            usleep(50_000)
        }
        self.stop()
        throw TestSupportError("the FastAPI fixture app did not answer on port \(port): \(self.stderr)")
    }

    deinit { self.stop() }

    /// Stops the app (SIGTERM, SIGKILL after 10 s) and reaps it.
    public func stop() { self.process.stop(grace: 10) }

    /// What the app wrote on stderr so far.
    public var stderr: String { (try? String(contentsOfFile: self.stderrPath, encoding: .utf8)) ?? "" }

    /// Sends one request to the app through peft-perf's pool: status and body.
    /// The app counts it, as it counts every request.
    @discardableResult
    public func request(_ method: HTTPMethod, _ path: String, json: String? = nil) throws -> (
        status: Int, body: String
    ) {
        var configuration = HTTPPoolConfiguration(workerThreads: 1)
        configuration.monitor = nil
        let pool = try HTTPConnectionPool(configuration: configuration)
        defer { pool.shutdown() }
        var request = HTTPRequest(method: method, url: try HTTPURL(self.baseURL + path), timeoutSeconds: 30)
        if let json {
            request.body = Array(json.utf8)
            request.headers = [try HTTPHeader(name: "Content-Type", value: "application/json")]
        }
        let response = try pool.send(request)
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    /// The app's JSON answer to `GET path`, parsed.
    public func json(_ path: String) throws -> [String: Any] {
        let response = try self.request(.get, path)
        guard response.status == 200,
            let object = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any]
        else { throw TestSupportError("GET \(path): \(response.status) \(response.body)") }
        return object
    }

    /// Drives a realistic mix through the routes: lists, active runs, cached
    /// lookups (hits and misses), a 404, a create and a delete, model lookups,
    /// and `slowQueries` statements slower than the threshold. Returns the
    /// number of requests sent and how many got a status of 400 or more.
    @discardableResult
    public func driveTraffic(slowQueries: Int = 1, slowQuerySeconds: Double = 0.15) throws -> (
        requests: Int, errors: Int
    ) {
        var requests = 0
        var errors = 0
        func send(_ method: HTTPMethod, _ path: String, json: String? = nil) throws -> String {
            let response = try self.request(method, path, json: json)
            requests += 1
            if response.status >= 400 { errors += 1 }
            return response.body
        }
        _ = try send(.get, "/api/runs?limit=10")
        _ = try send(.get, "/api/runs?status=completed&limit=5&offset=5")
        _ = try send(.get, "/api/runs/active")
        for i in 0..<3 {
            // The first lookup misses the cache, the others hit.
            for _ in 0..<3 {
                _ = try send(.get, "/api/runs/job_20250101_\(100000 + i)_\(String(i, radix: 16).leftPadded(6))")
            }
        }
        _ = try send(.get, "/api/runs/job_19990101_000000_000000")
        let created = try send(
            .post, "/api/runs", json: #"{"model_name": "meta-llama/Llama-3-8B", "dataset_path": "/data/new.jsonl"}"#)
        guard let object = try JSONSerialization.jsonObject(with: Data(created.utf8)) as? [String: Any],
            let jobID = object["job_id"] as? String
        else { throw TestSupportError("POST /api/runs answered \(created)") }
        _ = try send(.get, "/api/runs/\(jobID)")
        _ = try send(.delete, "/api/runs/\(jobID)")
        _ = try send(.delete, "/api/runs/\(jobID)")
        _ = try send(.get, "/api/models/meta-llama/Llama-3-8B")
        _ = try send(.get, "/api/models/meta-llama/Llama-3-8B")
        for _ in 0..<slowQueries { _ = try send(.get, "/api/fixture/slow-query?seconds=\(slowQuerySeconds)") }
        return (requests, errors)
    }
}
