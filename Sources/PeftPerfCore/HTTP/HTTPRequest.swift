/// A request for the pool: method, URL, headers and an optional body.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    public var url: HTTPURL
    public var headers: [HTTPHeader]
    /// The body, sent as is (libcurl copies it); nil for none.
    public var body: [UInt8]?
    /// Overrides the pool's timeout for this request, in seconds.
    public var timeoutSeconds: Double?

    public init(
        method: HTTPMethod = .get, url: HTTPURL, headers: [HTTPHeader] = [], body: [UInt8]? = nil,
        timeoutSeconds: Double? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
    }

    /// The endpoint name the performance monitor records, e.g.
    /// `GET http://127.0.0.1:8080/users/:id` (credentials and query dropped).
    public var endpointName: String {
        EndpointNormalizer.normalize("\(self.method.rawValue) \(self.url.redacted)")
    }
}
