/// Mutable per-target figures one worker thread collects; merged at the end.
///
/// Fixed-size storage only (histograms, a status array), so memory does not
/// grow with the number of requests.
struct HTTPBenchAccumulator {
    var requests: UInt64 = 0
    var errors: UInt64 = 0
    /// Index = HTTP status 0...599 (0 for anything outside 100...599).
    var statusCounts: [UInt64] = Array(repeating: 0, count: 600)
    /// Index = `RequestErrorKind.allCases` position.
    var errorCounts: [UInt64] = Array(repeating: 0, count: RequestErrorKind.allCases.count)
    var connectionsOpened: UInt64 = 0
    /// Latency as reported: from the due time in an open loop (corrected).
    var latency = HDRHistogram(significantDigits: 3)
    /// Latency from the actual send; differs from ``latency`` only with `--rate`.
    var uncorrected = HDRHistogram(significantDigits: 3)
    var queueWait = HDRHistogram(significantDigits: 2)
    var inFlightAtEnd: UInt64 = 0
    /// Responses per protocol; index = `HTTPProtocolVersion.index`.
    var httpVersionCounts: [UInt64] = Array(repeating: 0, count: HTTPProtocolVersion.allCases.count)
    /// The first transport failure, to name the cause when nothing succeeds.
    var firstError: CurlError? = nil

    static let kindIndex: [RequestErrorKind: Int] = Dictionary(
        uniqueKeysWithValues: RequestErrorKind.allCases.enumerated().map { ($1, $0) })

    @inline(__always)
    mutating func countError(_ kind: RequestErrorKind) {
        self.errors &+= 1
        self.errorCounts[Self.kindIndex[kind] ?? (self.errorCounts.count - 1)] &+= 1
    }

    mutating func merge(_ other: HTTPBenchAccumulator) {
        self.requests &+= other.requests
        self.errors &+= other.errors
        for i in 0..<600 { self.statusCounts[i] &+= other.statusCounts[i] }
        for i in self.errorCounts.indices { self.errorCounts[i] &+= other.errorCounts[i] }
        self.connectionsOpened &+= other.connectionsOpened
        self.latency.merge(other.latency)
        self.uncorrected.merge(other.uncorrected)
        self.queueWait.merge(other.queueWait)
        self.inFlightAtEnd &+= other.inFlightAtEnd
        for i in self.httpVersionCounts.indices { self.httpVersionCounts[i] &+= other.httpVersionCounts[i] }
        if self.firstError == nil { self.firstError = other.firstError }
    }
}
