/// A complete response received through the pool.
public struct HTTPResponse: Sendable {
    /// HTTP status code.
    public var status: Int
    /// Response headers of the final response, in order.
    public var headers: [HTTPHeader]
    /// The body (bounded by the pool's maximum response size).
    public var body: [UInt8]
    /// Timing breakdown.
    public var timings: HTTPTimings
    /// Whether an existing connection was reused (no new connection was opened).
    public var reusedConnection: Bool
    /// Protocol used: `HTTP/1.0`, `HTTP/1.1`, `HTTP/2` or `HTTP/3`.
    public var httpVersion: String

    public init(
        status: Int, headers: [HTTPHeader], body: [UInt8], timings: HTTPTimings, reusedConnection: Bool,
        httpVersion: String
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.timings = timings
        self.reusedConnection = reusedConnection
        self.httpVersion = httpVersion
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return self.headers.first { $0.name.lowercased() == lower }?.value
    }
}
