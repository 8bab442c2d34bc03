import Foundation
import Testing

@testable import PeftPerfCore

/// TLS against `openssl s_server` with a throwaway self-signed certificate.
@Suite struct HTTPTLSTests {
    final class TLSServer {
        let process: RunningProcess
        let port: Int
        let certificatePath: String
        let directory: URL

        init(openssl: String) throws {
            self.directory = try ScratchRoot.directory().appendingPathComponent("peft-tls")
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
            let (cert, key) = try NginxServer.makeCertificate(in: self.directory, name: "server")
            self.certificatePath = cert
            self.process = try RunningProcess(
                openssl, ["s_server", "-accept", "127.0.0.1:0", "-cert", cert, "-key", key, "-www", "-naccept", "20"],
                stderr: .null)
            // s_server prints "ACCEPT 127.0.0.1:PORT" once it listens.
            let output = self.process.waitForOutput(timeout: 60) { Self.acceptedPort($0) != nil }
            self.port = output.flatMap(Self.acceptedPort) ?? 0
        }

        /// The port in the "ACCEPT 127.0.0.1:PORT" line of `text`, or nil.
        static func acceptedPort(_ text: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
                let last = line.split(separator: ":").last
            else { return nil }
            return Int(last.trimmingASCIIWhitespace())
        }

        func stop() {
            self.process.stop(grace: 10)
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
        let openssl = try RequiredTool.require("openssl", install: "apt-get install openssl")
        let server = try TLSServer(openssl: openssl)
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
