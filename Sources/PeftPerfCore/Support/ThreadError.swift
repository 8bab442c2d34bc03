#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A POSIX thread could not be started (`pthread_create` failed).
public struct ThreadError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What the thread was for (`peft-http-0`, `peft-srv-accept`…).
    public let name: String
    /// The error number `pthread_create` returned (`EAGAIN`…).
    public let code: Int32

    public var description: String {
        "cannot start thread \(self.name): \(String(cString: strerror(self.code))) (error \(self.code))"
    }
}
