extension StringProtocol {
    /// The string without leading and trailing ASCII spaces, tabs and newlines.
    ///
    /// Foundation's `trimmingCharacters(in:)` is avoided to keep start-up light.
    public func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = self.firstIndex(where: { !isSpace($0) }),
            let last = self.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
