#if canImport(Glibc)
    import Glibc
#endif
public import Foundation

/// A real nginx on 127.0.0.1 serving HTTPS with a self-signed certificate
/// the test made, started by a test; `.ci/deps --test` installs nginx and
/// openssl.
///
/// It runs as the current user in one process (`master_process off`), with
/// its pid file, temp paths and logs in its own directory, and listens on
/// three ports:
/// - ``port``: TLS 1.2 and 1.3, HTTP/2 and HTTP/1.1 offered by ALPN;
/// - ``http1Port``: TLS 1.2 and 1.3, HTTP/1.1 only;
/// - ``tls12Port``: TLS 1.2 only, HTTP/2 and HTTP/1.1.
///
/// TLS sessions are cached (`ssl_session_cache shared:…`; by default nginx
/// resumes nothing) and every request is logged, one line each, with its
/// connection serial number, whether the session was resumed, the protocol
/// and the port: see ``accessLog()``.
public final class NginxServer {
    /// The programs the server needs, found on PATH or in the sbin directories.
    public static var nginxPath: String? { Self.find("nginx") }
    public static var opensslPath: String? { Self.find("openssl") }

    /// The names of the programs that are missing; empty when it can start.
    public static var missingTools: [String] {
        [("nginx", Self.nginxPath), ("openssl", Self.opensslPath)].filter { $0.1 == nil }.map(\.0)
    }

    /// One request in the access log.
    public struct Request: Sendable, Equatable {
        /// nginx's connection serial number (`$connection`).
        public let connection: Int
        /// Whether the connection's TLS session was resumed (`$ssl_session_reused` is `r`).
        public let sessionReused: Bool
        /// `$server_protocol`: `HTTP/1.1` or `HTTP/2.0`.
        public let serverProtocol: String
        /// `$ssl_protocol`, such as `TLSv1.3`.
        public let tlsProtocol: String
        public let port: Int
        /// `$request_uri`.
        public let uri: String
        public let status: Int
    }

    private let process: RunningProcess
    private let directory: URL
    public let port: Int
    public let http1Port: Int
    public let tls12Port: Int
    /// The server's self-signed certificate (PEM), for `--cacert`.
    public let certificatePath: String

    /// Makes a certificate, writes the configuration into `directory`, starts
    /// nginx and waits until every port accepts connections.
    public init(directory: URL) throws {
        guard let nginx = Self.nginxPath, Self.opensslPath != nil else {
            throw TestSupportError("missing: \(Self.missingTools.joined(separator: ", "))")
        }
        self.directory = directory
        let (certificate, key) = try Self.makeCertificate(in: directory, name: "server")
        self.certificatePath = certificate
        self.port = try Pushgateway.freePort()
        self.http1Port = try Pushgateway.freePort()
        self.tls12Port = try Pushgateway.freePort()
        for name in ["logs", "temp", "html"] {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        let configuration = Self.configuration(
            prefix: directory.path, certificate: certificate, key: key,
            ports: (self.port, self.http1Port, self.tls12Port))
        let configurationPath = directory.appendingPathComponent("nginx.conf").path
        try configuration.write(toFile: configurationPath, atomically: true, encoding: .utf8)
        // -e: the error log from the start, before nginx reads its
        // configuration (otherwise it opens the compiled-in /var/log path).
        let errorLog = directory.appendingPathComponent("logs/error.log").path
        self.process = try RunningProcess(
            nginx, ["-p", directory.path + "/", "-c", configurationPath, "-e", errorLog, "-g", "daemon off;"],
            stdout: .null, stderr: .null)
        for _ in 0..<400 {
            guard self.process.isRunning else { break }
            if [self.port, self.http1Port, self.tls12Port].allSatisfy(Self.accepts) { return }
            usleep(25_000)
        }
        let log = (try? String(contentsOfFile: self.errorLogPath, encoding: .utf8)) ?? ""
        self.stop()
        throw TestSupportError(
            "nginx did not start on ports \(self.port), \(self.http1Port), \(self.tls12Port): \(log)")
    }

    deinit { self.stop() }

    private var errorLogPath: String { self.directory.appendingPathComponent("logs/error.log").path }
    private var accessLogPath: String { self.directory.appendingPathComponent("logs/access.log").path }

    /// Stops nginx (SIGTERM, then SIGKILL after 10 s) and reaps it.
    public func stop() {
        self.process.stop(grace: 10)
    }

    /// Every request logged so far, in order.
    public func accessLog() throws -> [Request] {
        let text = (try? String(contentsOfFile: self.accessLogPath, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count == 7, let connection = Int(fields[0]), let port = Int(fields[4]),
                let status = Int(fields[6])
            else { throw TestSupportError("unexpected access log line: \(line)") }
            return Request(
                connection: connection, sessionReused: fields[1] == "r", serverProtocol: fields[2],
                tlsProtocol: fields[3], port: port, uri: fields[5], status: status)
        }
    }

    /// Makes a self-signed certificate for `IP:127.0.0.1` in `directory`:
    /// the paths of `NAME.pem` and `NAME.key`.
    public static func makeCertificate(in directory: URL, name: String) throws -> (certificate: String, key: String) {
        guard let openssl = Self.opensslPath else { throw TestSupportError("openssl is not installed") }
        let certificate = directory.appendingPathComponent("\(name).pem").path
        let key = directory.appendingPathComponent("\(name).key").path
        let output = try ExternalTool.run(
            openssl,
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certificate,
            ], input: nil, environment: nil, timeout: 120)
        guard output.status == 0 else { throw TestSupportError("openssl req failed: \(output.stderr)") }
        return (certificate, key)
    }

    private static func configuration(
        prefix: String, certificate: String, key: String, ports: (both: Int, http1: Int, tls12: Int)
    ) -> String {
        // Every server logs to the same file; any path answers 200.
        func server(_ listen: String, protocols: String) -> String {
            """
                server {
                    listen \(listen);
                    ssl_protocols \(protocols);
                    ssl_certificate \(certificate);
                    ssl_certificate_key \(key);
                    location / { return 200 "ok\\n"; }
                }

            """
        }
        return """
            master_process off;
            pid \(prefix)/nginx.pid;
            error_log \(prefix)/logs/error.log;
            events { worker_connections 256; }
            http {
                client_body_temp_path \(prefix)/temp/client_body;
                proxy_temp_path \(prefix)/temp/proxy;
                fastcgi_temp_path \(prefix)/temp/fastcgi;
                uwsgi_temp_path \(prefix)/temp/uwsgi;
                scgi_temp_path \(prefix)/temp/scgi;
                log_format tls '$connection $ssl_session_reused $server_protocol $ssl_protocol $server_port $request_uri $status';
                access_log \(prefix)/logs/access.log tls;
                ssl_session_cache shared:TLS:1m;
                keepalive_requests 100000;
            \(server("127.0.0.1:\(ports.both) ssl http2", protocols: "TLSv1.2 TLSv1.3"))\
            \(server("127.0.0.1:\(ports.http1) ssl", protocols: "TLSv1.2 TLSv1.3"))\
            \(server("127.0.0.1:\(ports.tls12) ssl http2", protocols: "TLSv1.2"))\
            }

            """
    }

    private static func find(_ name: String) -> String? {
        if let path = ExternalTool.which(name) { return path }
        return ["/usr/sbin", "/usr/bin", "/sbin"].map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    private static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
