#if canImport(Glibc)
    import Glibc
#endif
public import Foundation
import PeftPerfCore

/// A real `prometheus-pushgateway` on 127.0.0.1, started by a test.
public final class Pushgateway {
    public static let binary = "/usr/bin/prometheus-pushgateway"

    /// Whether the Pushgateway is installed (`.ci/deps --test` installs it).
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: Self.binary) }

    private let process: RunningProcess
    /// `http://127.0.0.1:PORT`.
    public let baseURL: String

    /// Starts it on a free port with its persistence file in `directory`, and
    /// waits until it answers `/-/ready`.
    public init(directory: URL) throws {
        let port = try Self.freePort()
        self.baseURL = "http://127.0.0.1:\(port)"
        self.process = try RunningProcess(
            Self.binary,
            [
                "--web.listen-address=127.0.0.1:\(port)",
                "--persistence.file=\(directory.appendingPathComponent("pg.data").path)",
            ], stdout: .null, stderr: .null)
        for _ in 0..<100 {
            if (try? Self.get(self.baseURL + "/-/ready").status) == 200 { return }
            usleep(50_000)
        }
        self.stop()
        throw TestSupportError("the Pushgateway did not start on port \(port)")
    }

    deinit { self.stop() }

    /// Stops it (SIGTERM, then SIGKILL after 10 s) and reaps it.
    public func stop() {
        self.process.stop(grace: 10)
    }

    /// A port the kernel says is free right now.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw TestSupportError("bind failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// GET `url` through peft-perf's own pool: the status and the body as text.
    public static func get(_ url: String) throws -> (status: Int, body: String) {
        var configuration = HTTPPoolConfiguration(workerThreads: 1)
        configuration.monitor = nil
        let pool = try HTTPConnectionPool(configuration: configuration)
        defer { pool.shutdown() }
        let response = try pool.send(HTTPRequest(url: try HTTPURL(url), timeoutSeconds: 5))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }
}
