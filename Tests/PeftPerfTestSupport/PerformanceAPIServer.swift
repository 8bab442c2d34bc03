#if canImport(Glibc)
    import Glibc
#endif
public import Foundation
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

    private let process = Process()
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
        self.process.executableURL = URL(fileURLWithPath: python)
        self.process.arguments = [Self.scriptPath, "--scenario", scenario, "--log", self.logPath]
        let output = Pipe()
        self.process.standardOutput = output
        self.process.standardError = FileHandle.nullDevice
        try self.process.run()
        let reader = output.fileHandleForReading
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n"), Date() < deadline, self.process.isRunning {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("PORT "),
            let port = Int(line.dropFirst(5))
        else {
            Self.stop(self.process)
            throw TestSupportError("the performance API test server did not start: '\(text)'")
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

    /// Stops the server (SIGTERM, then SIGKILL after 2 s: a child started
    /// from a test process may inherit a mask that blocks SIGTERM) and reaps it.
    public func stop() {
        Self.stop(self.process)
    }

    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<80 where process.isRunning { usleep(25_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
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
