/// Pushes Prometheus text to a Pushgateway, the standard way for batch jobs
/// (a CI `bench` run) to hand metrics to Prometheus.
///
/// `push` uses `PUT /metrics/job/<job>{/<label>/<value>}`: the whole group is
/// replaced by what is pushed, so a re-run does not leave stale series
/// behind. Every grouping value is sent base64url-encoded (`job@base64/…`),
/// which the Pushgateway documents for values that may contain `/` and which
/// also makes empty values expressible.
///
/// Related documentation: <https://github.com/prometheus/pushgateway#url>
public struct PushgatewayClient: Sendable {
    /// The Pushgateway's base URL, as given (credentials are never printed).
    public let baseURL: HTTPURL
    public var client: HTTPClientOptions

    /// The push failed: transport error, or a status other than 2xx.
    public struct PushError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// - Throws: ``HTTPURLError`` when `url` is not an http(s) URL.
    public init(url: String, client: HTTPClientOptions = HTTPClientOptions()) throws(HTTPURLError) {
        var text = url
        while text.hasSuffix("/") { text.removeLast() }
        self.baseURL = try HTTPURL(text)
        self.client = client
    }

    /// The path of the group for `job` and `labels`.
    public func groupURL(job: String, labels: [(String, String)] = []) -> String {
        var path = "/metrics/job@base64/" + Self.base64URL(job)
        for (name, value) in labels {
            path += "/\(name)@base64/" + Self.base64URL(value)
        }
        return path
    }

    /// Replaces the group `job` (+ `labels`) with the metrics in `text`.
    ///
    /// - Parameters:
    ///   - text: Prometheus text format (0.0.4), such as ``MetricsReport/prometheusText()``.
    ///   - labels: extra grouping labels (valid label names).
    /// - Returns: the HTTP status (200 or 202).
    /// - Throws: ``PushError`` naming the status and the Pushgateway's message.
    @discardableResult
    public func push(_ text: String, job: String, labels: [(String, String)] = []) throws -> Int {
        for (name, _) in labels where !PrometheusTextWriter.isValidLabelName(name) {
            throw PushError(description: "invalid grouping label name '\(name)'")
        }
        let url = try HTTPURL(self.fullURL(job: job, labels: labels))
        var configuration = HTTPPoolConfiguration(workerThreads: 1)
        configuration.client = self.client
        configuration.monitor = nil
        let pool = try HTTPConnectionPool(configuration: configuration)
        defer { pool.shutdown() }
        let request = HTTPRequest(
            method: .put, url: url,
            headers: [try HTTPHeader(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")],
            body: Array(text.utf8))
        let response: HTTPResponse
        do {
            response = try pool.send(request)
        } catch {
            throw PushError(description: "cannot push to the Pushgateway at \(self.baseURL.redacted): \(error)")
        }
        guard (200..<300).contains(response.status) else {
            let message = String(decoding: response.body.prefix(500), as: UTF8.self)
            throw PushError(
                description:
                    "the Pushgateway at \(self.baseURL.redacted) answered \(response.status): \(message.trimmingASCIIWhitespace())"
            )
        }
        return response.status
    }

    /// The full URL, with the base's own credentials kept (they are needed to push).
    func fullURL(job: String, labels: [(String, String)]) -> String {
        var base = self.baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + self.groupURL(job: job, labels: labels)
    }

    /// base64url without padding; `=` for the empty string, as the Pushgateway expects.
    static func base64URL(_ text: String) -> String {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return "=" }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [
                alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)],
                alphabet[Int(n & 63)],
            ]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)]]
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)]]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
