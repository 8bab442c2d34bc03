/// The HTTP version a finished transfer used, as libcurl reports it
/// (`CURLINFO_HTTP_VERSION`); its raw value is what reports print.
public enum HTTPProtocolVersion: String, Sendable, CaseIterable, Comparable {
    case http1_0 = "HTTP/1.0"
    case http1_1 = "HTTP/1.1"
    case http2 = "HTTP/2"
    case http3 = "HTTP/3"
    /// A version this build does not know, or no response at all.
    case unknown

    /// The position in `allCases`, for fixed-size per-version counters.
    var index: Int {
        switch self {
        case .http1_0: 0
        case .http1_1: 1
        case .http2: 2
        case .http3: 3
        case .unknown: 4
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.index < rhs.index }
}
