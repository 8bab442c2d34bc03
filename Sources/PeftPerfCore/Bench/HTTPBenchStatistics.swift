/// Results for one URL, or for all of them (the total), as `bench --json` prints them.
///
/// JSON keys are fixed by issue 4 and only ever added to.
public struct HTTPBenchStatistics: Sendable, Encodable {
    /// The URL without credentials; nil for the total.
    public var url: String?
    /// Requests completed, failed ones included (not the ones in flight at the end).
    public var requests: Int
    /// Transport errors plus responses with status 500 or more.
    public var errors: Int
    /// Requests that got a response below 500.
    public var successes: Int
    @FiniteOrNull public var errorRate: Double?
    @FiniteOrNull public var rps: Double?
    public var durationSeconds: Double
    public var connectionsOpened: Int
    /// Responses per status code (as strings: JSON object keys).
    public var statusCodes: [String: Int]
    /// Failures per kind; connect, timeout, reset, tls and http_5xx always present.
    public var errorsByKind: [String: Int]
    /// Time requests waited for a free connection (and, with `--rate`, for their turn).
    public var queueWaitSeconds: LatencySummary
    /// Latency of requests that got a response. With `--rate`, counted from
    /// when each request was due (coordinated-omission corrected).
    public var latencySeconds: LatencySummary
    /// With `--rate`: latency from the actual send, which hides stalls. Nil otherwise.
    @FiniteOrNull public var latencyUncorrectedSeconds: LatencySummary?
    /// Requests still running when the time was up (not counted above).
    public var inFlightAtEnd: Int
    /// Protocol of the responses, such as `HTTP/1.1` (the most common one
    /// if they differ); nil when none arrived.
    @FiniteOrNull public var httpVersion: String?
    /// Responses per protocol, such as `["HTTP/2": 40]`.
    public var httpVersions: [String: Int]
    /// The first transport failure, with its cause; nil when none failed.
    @FiniteOrNull public var firstError: String?
    /// The latency histogram, for the terminal view and the store.
    public var latencyHistogram: HDRHistogram

    enum CodingKeys: String, CodingKey {
        case url, requests, errors, successes, rps
        case errorRate = "error_rate"
        case durationSeconds = "duration_seconds"
        case connectionsOpened = "connections_opened"
        case statusCodes = "status_codes"
        case errorsByKind = "errors_by_kind"
        case queueWaitSeconds = "queue_wait_seconds"
        case latencySeconds = "latency_seconds"
        case latencyUncorrectedSeconds = "latency_uncorrected_seconds"
        case inFlightAtEnd = "in_flight_at_end"
        case httpVersion = "http_version"
        case httpVersions = "http_versions"
        case firstError = "first_error"
    }

    init(url: String?, accumulator a: HTTPBenchAccumulator, durationSeconds: Double, openLoop: Bool) {
        self.url = url
        self.requests = Int(a.requests)
        self.errors = Int(a.errors)
        self.successes = Int(a.requests - min(a.requests, a.errors))
        self.errorRate = a.requests == 0 ? nil : Double(a.errors) / Double(a.requests)
        self.rps = durationSeconds > 0 ? Double(a.requests) / durationSeconds : nil
        self.durationSeconds = durationSeconds
        self.connectionsOpened = Int(a.connectionsOpened)
        var codes: [String: Int] = [:]
        for (code, count) in a.statusCounts.enumerated() where count > 0 { codes[String(code)] = Int(count) }
        self.statusCodes = codes
        var kinds: [String: Int] = [:]
        for (index, kind) in RequestErrorKind.allCases.enumerated() {
            let count = Int(a.errorCounts[index])
            if count > 0 || [.connect, .timeout, .reset, .tls, .http5xx].contains(kind) {
                kinds[kind.rawValue] = count
            }
        }
        self.errorsByKind = kinds
        self.queueWaitSeconds = LatencySummary(a.queueWait)
        self.latencySeconds = LatencySummary(a.latency)
        self.latencyUncorrectedSeconds = openLoop ? LatencySummary(a.uncorrected) : nil
        self.inFlightAtEnd = Int(a.inFlightAtEnd)
        var versions: [String: Int] = [:]
        var common: (version: HTTPProtocolVersion, count: UInt64)? = nil
        for version in HTTPProtocolVersion.allCases {
            let count = a.httpVersionCounts[version.index]
            guard count > 0 else { continue }
            versions[version.rawValue] = Int(count)
            if count > (common?.count ?? 0) { common = (version, count) }
        }
        self.httpVersions = versions
        self.httpVersion = common?.version.rawValue
        self.firstError = a.firstError.map(Self.explain)
        self.latencyHistogram = a.latency
    }

    /// A transport failure as one line, with the remedy for an untrusted certificate.
    static func explain(_ error: CurlError) -> String {
        guard error.isCertificateVerificationFailure else { return error.description }
        return "TLS certificate verification failed: \(error.message)"
            + " (trust its CA with --cacert FILE, or skip verification with --insecure)"
    }
}
