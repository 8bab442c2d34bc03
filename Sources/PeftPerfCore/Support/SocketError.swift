#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A socket call failed (`socket`, `bind`, `listen`…), with its `errno`.
public struct SocketError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The failing call, as the message names it.
    public let call: String
    /// The `errno` the call left.
    public let code: Int32

    /// The error for `call`, read from the current `errno`.
    static func fromErrno(_ call: String) -> SocketError {
        SocketError(call: call, code: errno)
    }

    public var description: String {
        "\(self.call) failed: \(String(cString: strerror(self.code)))"
    }
}
