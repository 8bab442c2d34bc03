extension StringProtocol {
    /// The string without leading and trailing ASCII spaces, tabs, CRs and
    /// LFs (a CRLF pair included, which is one `Character`).
    ///
    /// Foundation's `trimmingCharacters(in:)` is avoided to keep start-up light.
    public func trimmingASCIIWhitespace() -> String {
        let text = String(self)
        let bytes = text.utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, EndpointNormalizer.isTrimmed(bytes[start]) { start = bytes.index(after: start) }
        while end > start, EndpointNormalizer.isTrimmed(bytes[bytes.index(before: end)]) {
            end = bytes.index(before: end)
        }
        return String(text[start..<end])
    }
}
