extension HDRHistogram {
    /// What one value of an ``HDRHistogram`` counts.
    ///
    /// HTTP latencies are counted in microseconds; SQLite statement timings in
    /// nanoseconds, since many statements take a few microseconds, where a
    /// whole microsecond is already more than the histogram's precision.
    public enum Unit: Sendable, Hashable {
        case microseconds
        case nanoseconds

        /// Units in one second.
        public var perSecond: Double {
            switch self {
            case .microseconds: 1e6
            case .nanoseconds: 1e9
            }
        }

        /// Units in one microsecond.
        var perMicrosecond: UInt64 {
            switch self {
            case .microseconds: 1
            case .nanoseconds: 1000
            }
        }

        /// The unit's code in the serialized form (format version 2).
        var code: UInt64 {
            switch self {
            case .microseconds: 0
            case .nanoseconds: 1
            }
        }

        /// The unit of a serialized `code`; nil for an unknown one.
        init?(code: UInt64) {
            switch code {
            case 0: self = .microseconds
            case 1: self = .nanoseconds
            default: return nil
            }
        }
    }
}
