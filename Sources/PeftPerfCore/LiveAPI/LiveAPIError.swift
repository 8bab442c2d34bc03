/// Why a call to a service's performance API failed. Every message names
/// the call (`GET http://127.0.0.1:8000/api/performance/metrics`) with the
/// URL's credentials removed; header values never appear.
public enum LiveAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The base URL is not an http or https URL (a usage error).
    case invalidBaseURL(String)
    /// No connection, a reset, a TLS failure: libcurl's message.
    case unreachable(call: String, reason: String)
    /// No complete answer within the timeout.
    case timedOut(call: String, seconds: Double)
    /// A status of 500 or more, with the body's `detail` when it has one.
    case serverError(call: String, status: Int, detail: String?)
    /// 429 again after the one retry, or a `Retry-After` too long to wait.
    case rateLimited(call: String, retryAfter: String?, reason: String)
    /// A 3xx: redirects are never followed.
    case redirect(call: String, status: Int, location: String?, otherOrigin: Bool)
    /// Any other status that is not a success.
    case unexpectedStatus(call: String, status: Int, detail: String?)
    /// The body is not JSON.
    case malformedJSON(call: String, reason: String)
    /// The body is JSON of the wrong shape.
    case shape(call: String, LiveAPIShapeError)

    public var description: String {
        switch self {
        case .invalidBaseURL(let reason):
            return "--api: \(reason)"
        case .unreachable(let call, let reason):
            return "\(call): the performance API cannot be reached: \(reason)"
        case .timedOut(let call, let seconds):
            return "\(call): no answer within the timeout (\(DurationParser.format(seconds: seconds)))"
        case .serverError(let call, let status, let detail):
            return "\(call): the service failed with HTTP \(status)" + (detail.map { ": \($0)" } ?? "")
        case .rateLimited(let call, let retryAfter, let reason):
            return "\(call): rate-limited (HTTP 429"
                + (retryAfter.map { ", Retry-After \($0)" } ?? "") + "): \(reason)"
        case .redirect(let call, let status, let location, let otherOrigin):
            var text = "\(call): the service answered HTTP \(status), a redirect"
            if let location { text += " to \(location)" }
            text += otherOrigin ? " (another origin)" : ""
            return text + "; peft-perf does not follow redirects: give --api the URL the service is served at"
        case .unexpectedStatus(let call, let status, let detail):
            return "\(call): unexpected HTTP \(status)" + (detail.map { ": \($0)" } ?? "")
        case .malformedJSON(let call, let reason):
            return "\(call): the body is not valid JSON: \(reason)"
        case .shape(let call, let error):
            return "\(call): unexpected body: \(error)"
        }
    }

    /// Whether this is a usage error (exit 2) rather than a failure (exit 1).
    public var isUsageError: Bool {
        if case .invalidBaseURL = self { return true }
        return false
    }
}
