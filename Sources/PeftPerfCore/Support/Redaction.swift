/// Removes secrets before text reaches output, logs or the store.
public enum Redaction {
    /// `scheme://user:pass@host/...` → `scheme://host/...`.
    ///
    /// Text that is not a URL with credentials is returned unchanged. The
    /// userinfo ends at the last `@` before the first `/`, `?` or `#` of the
    /// authority, so a password containing `@` is removed whole.
    public static func redactURL(_ text: String) -> String {
        let chars = Array(text.utf8)
        var marker: Int?
        if chars.count >= 3 {
            for i in 0...(chars.count - 3) where chars[i] == 58 && chars[i + 1] == 47 && chars[i + 2] == 47 {
                marker = i
                break
            }
        }
        guard let marker else { return text }
        let authorityStart = text.utf8.index(text.utf8.startIndex, offsetBy: marker + 3)
        let rest = text[authorityStart...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? text.endIndex
        let authority = text[authorityStart..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return text }
        return String(text[..<authorityStart]) + String(text[text.index(after: at)...])
    }

    /// Header names whose values are secrets.
    public static let secretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
    ]

    /// `Authorization: Bearer abc` → `Authorization: [redacted]`.
    public static func redactHeader(_ line: String) -> String {
        guard let colon = line.firstIndex(of: ":") else { return line }
        let name = line[..<colon].trimmingASCIIWhitespace().lowercased()
        return secretHeaders.contains(name) ? "\(line[..<colon]): [redacted]" : line
    }
}
