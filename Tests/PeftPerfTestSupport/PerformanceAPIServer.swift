#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import Testing

/// The contract test server for PEFT Studio's performance API
/// (`Tests/Fixtures/performance_api_server.py`, standard library only) on
/// 127.0.0.1, in one scenario: `full`, `empty`, `extra`, `error500`,
/// `ratelimit`, `ratelimit-long`, `redirect`, `redirect-same`, `malformed`,
/// `wrongtype`, `missing` or `slow` (see the script).
///
/// It logs every request it gets (``requests()``), so that a test can check
/// what was sent, and what was not.
public final class PerformanceAPIServer {
    /// One request as the server saw it.
    public struct Request: Sendable, Equatable {
        public let method: String
        /// Path and query.
        public let path: String
        /// Header names lower-cased, with their values.
        public let headers: [String: String]
    }

    private let process: RunningProcess
    private let logPath: String
    public let port: Int

    /// The script's path in the source tree.
    public static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/performance_api_server.py").path
    }

    /// Starts the server in `scenario`, logging into `directory`.
    public init(scenario: String, directory: String) throws {
        let python = try RequiredTool.require("python3", install: "apt-get install python3, or .ci/deps --test")
        self.logPath = directory + "/api-requests-\(scenario)-\(UUID().uuidString).ndjson"
        self.process = try RunningProcess(
            python, [Self.scriptPath, "--scenario", scenario, "--log", self.logPath], stdout: .capture, stderr: .null)
        // The first line is `PORT N`, printed once the socket listens.
        let output = self.process.waitForOutput(timeout: 30) { $0.contains("\n") }
        guard let line = output?.split(separator: "\n").first, line.hasPrefix("PORT "),
            let port = Int(line.dropFirst(5))
        else {
            self.process.stop(grace: 2)
            throw TestSupportError(
                "the performance API test server did not start: '\(self.process.standardOutput)'")
        }
        self.port = port
    }

    deinit { self.stop() }

    /// `http://127.0.0.1:PORT`.
    public var baseURL: String { "http://127.0.0.1:\(self.port)" }

    /// The base URL with `user:password@` in it.
    public func baseURL(user: String, password: String) -> String {
        "http://\(user):\(password)@127.0.0.1:\(self.port)"
    }

    /// Stops the server (SIGTERM, then SIGKILL after 2 s) and reaps it.
    public func stop() {
        self.process.stop(grace: 2)
    }

    /// Every request logged so far, in order.
    public func requests() throws -> [Request] {
        let text = (try? String(contentsOfFile: self.logPath, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let method = object["method"] as? String, let path = object["path"] as? String,
                let headers = object["headers"] as? [String: String]
            else { throw TestSupportError("unexpected request log line: \(line)") }
            return Request(
                method: method, path: path,
                headers: Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { $1 }))
        }
    }
}
