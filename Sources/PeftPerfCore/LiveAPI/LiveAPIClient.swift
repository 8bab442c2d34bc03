import Foundation
import Synchronization

/// A client of PEFT Studio's performance API (`/api/performance/*`) under a
/// base URL, over the libcurl pool.
///
/// - Every call shares one deadline: the whole command fails within the
///   timeout it was given (0: none).
/// - Redirects are never followed; a 3xx is reported as an error.
/// - A 429 is retried once, after its `Retry-After`, when that ends before
///   the deadline.
/// - The extra headers (`--api-header`) go to this API only; neither they nor
///   the URL's credentials appear in any error message: text the service sends
///   back (a `detail`) has them replaced by `***`.
/// - The calls it made are counted by name, so that reports can subtract them
///   from the service's own request figures.
///
/// Blocks the calling thread, as ``HTTPConnectionPool/send(_:)`` does.
public final class LiveAPIClient: Sendable {
    /// The base URL, validated; its ``HTTPURL/redacted`` form is safe to show.
    public let base: HTTPURL
    /// The timeout of the whole client, in seconds; 0 for none.
    public let timeoutSeconds: Double
    /// The longest `Retry-After` waited for when there is no timeout.
    public static let maxRetryAfterWithoutTimeout = 60.0
    /// The largest body accepted.
    public static let maxResponseBytes = 16 << 20

    private let prefix: String
    private let headers: [HTTPHeader]
    private let secrets: [String]
    private let startNanoseconds: UInt64
    private let pool: HTTPConnectionPool
    private let calls = Mutex<[String: UInt64]>([:])

    /// Validates `baseURL` (http or https, no query or fragment) and starts a
    /// one-thread pool that records nothing.
    ///
    /// - Throws: ``LiveAPIError/invalidBaseURL(_:)`` for a bad URL,
    ///   ``LiveAPIError/unreachable(call:reason:)`` when libcurl cannot start.
    public init(baseURL: String, headers: [HTTPHeader] = [], timeoutSeconds: Double) throws(LiveAPIError) {
        let base: HTTPURL
        do {
            base = try HTTPURL(baseURL)
        } catch {
            throw .invalidBaseURL(error.description)
        }
        guard !base.pathAndQuery.contains("?"), !base.absoluteString.contains("#") else {
            throw .invalidBaseURL(
                "the base URL '\(base.redacted)' must not have a query or a fragment (give e.g. http://127.0.0.1:8000)")
        }
        self.base = base
        var prefix = base.absoluteString
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.prefix = prefix
        self.headers = headers
        self.secrets = (base.secrets + headers.map(\.value)).filter { $0.count >= 3 }.sorted { $0.count > $1.count }
        self.timeoutSeconds = max(0, timeoutSeconds)
        self.startNanoseconds = MonotonicClock.nanoseconds()
        var configuration = HTTPPoolConfiguration(workerThreads: 1)
        configuration.monitor = nil
        configuration.maxConnections = 2
        configuration.maxConnectionsPerHost = 2
        configuration.client.timeoutSeconds = self.timeoutSeconds
        configuration.client.followRedirects = false
        configuration.client.maxResponseBytes = Self.maxResponseBytes
        do {
            self.pool = try HTTPConnectionPool(configuration: configuration)
        } catch {
            throw .unreachable(call: base.redacted, reason: "\(error)")
        }
    }

    deinit {
        self.pool.shutdown()
    }

    /// The base URL as reports show it, credentials removed, no trailing slash.
    public var displayURL: String {
        var text = self.base.redacted
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }

    /// peft-perf's calls the service has answered so far, by the name its
    /// middleware records them under.
    public var ownCalls: [String: UInt64] { self.calls.withLock { $0 } }

    /// Calls `endpoint` and reads its body as `Body`.
    ///
    /// - Throws: ``LiveAPIError`` naming the call.
    public func fetch<Body: ServiceBody>(_ endpoint: LiveAPIEndpoint, as _: Body.Type = Body.self)
        throws(LiveAPIError) -> LiveAPIReading<Body>
    {
        let urlText = self.prefix + endpoint.pathAndQuery
        let url: HTTPURL
        do {
            url = try HTTPURL(urlText)
        } catch {
            throw .invalidBaseURL(error.description)
        }
        let call = "\(endpoint.method.rawValue) \(url.redacted)"
        let sent = MonotonicClock.nanoseconds()
        var retried = false
        while true {
            // Re-read before each attempt: a 429 the service answered is counted too.
            let ownCallsBefore = self.ownCalls
            let response = try self.send(endpoint, url: url, call: call)
            self.calls.withLock { $0[endpoint.serviceEndpointName, default: 0] &+= 1 }
            switch response.status {
            case 200..<300:
                let json = try self.decode(response.body, call: call)
                do {
                    let body = try Body(json: LiveJSONField(json))
                    return LiveAPIReading(
                        body: body, receivedAt: WallClock.now(), elapsedSeconds: MonotonicClock.seconds(since: sent),
                        ownCallsBefore: ownCallsBefore)
                } catch {
                    throw .shape(call: call, error)
                }
            case 429:
                let retryAfter = response.header("Retry-After").map { self.scrub($0) }
                guard !retried else {
                    throw .rateLimited(call: call, retryAfter: retryAfter, reason: "still rate-limited after one retry")
                }
                let wait = try self.retryDelay(retryAfter, call: call)
                Thread.sleep(forTimeInterval: wait)
                retried = true
            case 300..<400:
                throw self.redirect(response, call: call)
            case 500...:
                throw .serverError(call: call, status: response.status, detail: self.detail(response.body))
            default:
                throw .unexpectedStatus(call: call, status: response.status, detail: self.detail(response.body))
            }
        }
    }

    /// Seconds left before the deadline; nil without a timeout.
    private var remainingSeconds: Double? {
        guard self.timeoutSeconds > 0 else { return nil }
        return self.timeoutSeconds - MonotonicClock.seconds(since: self.startNanoseconds)
    }

    private func send(_ endpoint: LiveAPIEndpoint, url: HTTPURL, call: String) throws(LiveAPIError) -> HTTPResponse {
        let remaining = self.remainingSeconds
        if let remaining, remaining < 0.001 { throw .timedOut(call: call, seconds: self.timeoutSeconds) }
        var headers = self.headers
        if !headers.contains(where: { $0.name.lowercased() == "accept" }),
            let accept = try? HTTPHeader(name: "Accept", value: "application/json")
        {
            headers.append(accept)
        }
        let request = HTTPRequest(method: endpoint.method, url: url, headers: headers, timeoutSeconds: remaining)
        do {
            return try self.pool.send(request)
        } catch {
            if error.kind == .timeout { throw .timedOut(call: call, seconds: self.timeoutSeconds) }
            throw .unreachable(call: call, reason: self.scrub(error.description))
        }
    }

    /// How long to wait before the one retry of a 429.
    private func retryDelay(_ retryAfter: String?, call: String) throws(LiveAPIError) -> Double {
        guard let retryAfter else {
            throw .rateLimited(call: call, retryAfter: nil, reason: "no Retry-After to wait for")
        }
        guard let seconds = DecimalNumber.parse(retryAfter.trimmingASCIIWhitespace()), seconds >= 0, seconds.isFinite
        else {
            throw .rateLimited(call: call, retryAfter: retryAfter, reason: "Retry-After is not a number of seconds")
        }
        if let remaining = self.remainingSeconds {
            guard seconds < remaining else {
                throw .rateLimited(
                    call: call, retryAfter: retryAfter,
                    reason: "waiting would pass the timeout (\(DurationParser.format(seconds: self.timeoutSeconds)))")
            }
        } else if seconds > Self.maxRetryAfterWithoutTimeout {
            throw .rateLimited(
                call: call, retryAfter: retryAfter,
                reason: "longer than \(Int(Self.maxRetryAfterWithoutTimeout))s to wait")
        }
        return seconds
    }

    private func redirect(_ response: HTTPResponse, call: String) -> LiveAPIError {
        guard let location = response.header("Location") else {
            return .redirect(call: call, status: response.status, location: nil, otherOrigin: false)
        }
        let shown = self.scrub(Redaction.redactURL(location))
        let otherOrigin: Bool
        if location.contains("://") || location.hasPrefix("//") {
            let target = try? HTTPURL(location.hasPrefix("//") ? self.base.scheme + ":" + location : location)
            otherOrigin =
                target.map {
                    $0.scheme != self.base.scheme || $0.host.lowercased() != self.base.host.lowercased()
                        || $0.port != self.base.port
                } ?? true
        } else {
            otherOrigin = false
        }
        return .redirect(
            call: call, status: response.status, location: Self.printable(shown, limit: 200), otherOrigin: otherOrigin)
    }

    private func decode(_ body: [UInt8], call: String) throws(LiveAPIError) -> LiveJSON {
        guard !body.isEmpty else { throw .malformedJSON(call: call, reason: "the body is empty") }
        do {
            return try JSONDecoder().decode(LiveJSON.self, from: Data(body))
        } catch let DecodingError.dataCorrupted(context) {
            var reason = context.debugDescription
            if let underlying = context.underlyingError as NSError?,
                let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String
            {
                reason += " " + detail
            }
            throw .malformedJSON(call: call, reason: self.scrub(Self.printable(reason, limit: 300)))
        } catch {
            throw .malformedJSON(call: call, reason: "the body is not JSON")
        }
    }

    /// The `detail` of an error body (FastAPI's shape), else the start of the
    /// body when it is text; secrets removed, control characters escaped.
    private func detail(_ body: [UInt8]) -> String? {
        guard !body.isEmpty else { return nil }
        if let json = try? JSONDecoder().decode(LiveJSON.self, from: Data(body)) {
            if case .object(let members) = json, let detail = members["detail"] {
                if case .string(let text) = detail { return self.scrub(Self.printable(text, limit: 500)) }
                return self.scrub(Self.printable(detail.shown, limit: 500))
            }
            return nil
        }
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        let trimmed = text.trimmingASCIIWhitespace()
        return trimmed.isEmpty ? nil : self.scrub(Self.printable(trimmed, limit: 200))
    }

    /// `text` with every secret (URL credentials, header values) replaced by `***`.
    func scrub(_ text: String) -> String {
        var result = text
        for secret in self.secrets where result.contains(secret) {
            result = result.replacing(secret, with: "***")
        }
        return result
    }

    /// At most `limit` characters, control characters escaped.
    static func printable(_ text: String, limit: Int) -> String {
        let cut = text.count > limit ? String(text.prefix(limit)) + "…" : text
        var result = ""
        for scalar in cut.unicodeScalars {
            result += ControlCharacters.visibleEscape(scalar) ?? String(scalar)
        }
        return result
    }
}
