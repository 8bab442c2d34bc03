#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call in the CLI layer, described with `strerror`.
struct SystemError: Error, CustomStringConvertible, Sendable {
    let operation: String
    let path: String?
    let code: Int32

    init(operation: String, path: String? = nil, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    var description: String {
        let reason = String(cString: strerror(self.code))
        if let path { return "cannot \(self.operation) '\(path)': \(reason)" }
        return "\(self.operation) failed: \(reason)"
    }
}
