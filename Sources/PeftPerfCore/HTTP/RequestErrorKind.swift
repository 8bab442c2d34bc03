/// How a request failed, as reported per kind by `bench` and the monitor.
public enum RequestErrorKind: String, Sendable, CaseIterable, Codable, Comparable {
    /// DNS resolution or TCP connect failed (refused, unreachable).
    case connect
    /// The request did not finish within its timeout.
    case timeout
    /// The connection was reset or closed before a complete response.
    case reset
    /// TLS handshake or certificate verification failed.
    case tls
    /// The server answered with a status of 500 or more.
    case http5xx = "http_5xx"
    /// The response exceeded the configured size bound, or libcurl's own
    /// bound on response headers (100 KiB a line, 300 KiB in all).
    case tooLarge = "too_large"
    /// The reply broke HTTP: a malformed status line or header, a bad
    /// `Content-Length`, broken chunked encoding.
    case `protocol`
    /// Anything else libcurl reported.
    case other

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
