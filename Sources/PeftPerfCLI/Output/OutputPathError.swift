#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An output path (`-o`, `--junit`, `--markdown`) that cannot be written,
/// reported with the option that named it: `--junit 'out.xml': cannot write:
/// Permission denied`.
struct OutputPathError: Error, CustomStringConvertible, Sendable {
    /// The long option's name, without dashes.
    let option: String
    /// The path as it was given.
    let path: String
    /// What could not be done, such as "cannot write".
    let problem: String
    /// The `errno` behind it, if any.
    let code: Int32?

    init(option: String, path: String, problem: String, code: Int32? = nil) {
        self.option = option
        self.path = path
        self.problem = problem
        self.code = code
    }

    var description: String {
        var text = "--\(self.option) '\(self.path)': \(self.problem)"
        if let code { text += ": " + String(cString: strerror(code)) }
        return text
    }
}
