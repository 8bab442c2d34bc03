/// Where a request's time went, in seconds.
///
/// libcurl 7.88 has no queue-time field: a transfer that waited for a free
/// connection reports a connect time of 0 and hides the wait in its total.
/// The pool takes the moment the transfer left the queue with
/// `CURLOPT_PREREQFUNCTION` and derives ``queue`` from it.
public struct HTTPTimings: Sendable, Equatable, Codable {
    /// Waiting for a free connection slot.
    public var queue: Double
    /// Name resolution (0 for addresses and cached names).
    public var dns: Double
    /// TCP connect after DNS (0 on a reused connection).
    public var connect: Double
    /// TLS handshake after connect (0 for http or a reused connection).
    public var tls: Double
    /// From the request being sent to the first response byte.
    public var firstByte: Double
    /// Everything, from submission to the last byte.
    public var total: Double

    public init(
        queue: Double = 0, dns: Double = 0, connect: Double = 0, tls: Double = 0, firstByte: Double = 0,
        total: Double = 0
    ) {
        self.queue = queue
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.total = total
    }

    enum CodingKeys: String, CodingKey {
        case queue = "queue_seconds"
        case dns = "dns_seconds"
        case connect = "connect_seconds"
        case tls = "tls_seconds"
        case firstByte = "first_byte_seconds"
        case total = "total_seconds"
    }
}
