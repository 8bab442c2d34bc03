#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How many columns a table may use: `COLUMNS` when it holds a whole number
/// from 1 to 10000, else the terminal's width from `TIOCGWINSZ` on stdout,
/// else 100 (stdout piped or redirected, and no `COLUMNS`).
enum TerminalWidth {
    static let fallback = 100

    static func current(environment: [String: String]) -> Int {
        if let text = environment["COLUMNS"], let columns = Self.parse(text) { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return Self.fallback
    }

    /// A width from `COLUMNS`: ASCII digits only, 1...10000; nil otherwise.
    static func parse(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 5, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let value = Int(text), (1...10_000).contains(value)
        else { return nil }
        return value
    }
}
