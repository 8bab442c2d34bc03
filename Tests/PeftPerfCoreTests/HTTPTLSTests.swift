import Foundation
import Testing

@testable import PeftPerfCore

/// TLS against `openssl s_server` with a throwaway self-signed certificate.
@Suite struct HTTPTLSTests {
    final class TLSServer {
        let process = Process()
        let port: Int
        let certificatePath: String
        let directory: URL

        init() throws {
            self.directory = try ScratchRoot.directory().appendingPathComponent("peft-tls")
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
            let cert = self.directory.appendingPathComponent("cert.pem").path
            let key = self.directory.appendingPathComponent("key.pem").path
            _ = try ExternalTool.run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                ])
            self.certificatePath = cert
            let out = Pipe()
            self.process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            self.process.arguments = [
                "s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key, "-www", "-naccept", "20",
            ]
            self.process.standardOutput = out
            self.process.standardError = FileHandle.nullDevice
            try self.process.run()
            // s_server prints "ACCEPT 127.0.0.1:PORT" once it listens.
            var text = ""
            var port = 0
            let deadline = Date().addingTimeInterval(10)
            while port == 0, Date() < deadline {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { break }
                text += String(decoding: data, as: UTF8.self)
                if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
                    let last = line.split(separator: ":").last, let value = Int(last.trimmingASCIIWhitespace())
                {
                    port = value
                }
            }
            self.port = port
        }

        func stop() {
            // s_server does not always stop on SIGTERM.
            kill(self.process.processIdentifier, SIGKILL)
            self.process.waitUntilExit()
            try? FileManager.default.removeItem(at: self.directory)
        }
    }

    func pool(_ tweak: (inout HTTPClientOptions) -> Void) throws -> HTTPConnectionPool {
        var configuration = HTTPPoolConfiguration(workerThreads: 1)
        configuration.monitor = nil
        configuration.client.timeoutSeconds = 10
        tweak(&configuration.client)
        return try HTTPConnectionPool(configuration: configuration)
    }

    @Test func verificationIsOnAndCanBeSatisfiedOrWaived() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else {
            try RequiredTool.missing("/usr/bin/openssl is not installed (apt-get install openssl)")
        }
        let server = try TLSServer()
        defer { server.stop() }
        try #require(server.port > 0)
        let url = try HTTPURL("https://127.0.0.1:\(server.port)/")

        let strict = try pool { _ in }
        #expect {
            try strict.send(HTTPRequest(url: url))
        } throws: { error in
            (error as? CurlError)?.kind == .tls && (error as? CurlError)?.isCertificateVerificationFailure == true
        }

        let trusted = try pool {
            $0.caCertificatePath = server.certificatePath
            $0.version = .http1_1
        }
        #expect(try trusted.send(HTTPRequest(url: url)).status == 200)

        let insecure = try pool {
            $0.insecure = true
            $0.version = .http1_1
        }
        #expect(try insecure.send(HTTPRequest(url: url)).status == 200)
    }
}
