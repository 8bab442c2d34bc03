/// Removes secrets before text reaches output, logs or the store.
public enum Redaction {
    /// `scheme://user:pass@host/...` → `scheme://host/...`, for every URL in
    /// the text (`a://u:p@h,b://v:q@k` loses both).
    ///
    /// Text that is not a URL with credentials is returned unchanged. The
    /// userinfo ends at the last `@` before the first `/`, `?` or `#` byte of
    /// the authority, so a password containing `@` is removed whole. It works
    /// on bytes, as libcurl parses URLs: a combining mark after a `/` does not
    /// hide the `/`.
    public static func redactURL(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        var changed = false
        while index < bytes.count {
            guard index + 2 < bytes.count, bytes[index] == 0x3A, bytes[index + 1] == 0x2F, bytes[index + 2] == 0x2F
            else {
                output.append(bytes[index])
                index += 1
                continue
            }
            output += [0x3A, 0x2F, 0x2F]
            let start = index + 3
            var end = start
            while end < bytes.count, bytes[end] != 0x2F, bytes[end] != 0x3F, bytes[end] != 0x23 { end += 1 }
            if let at = bytes[start..<end].lastIndex(of: 0x40) {
                index = at + 1
                changed = true
            } else {
                index = start
            }
        }
        return changed ? String(decoding: output, as: UTF8.self) : text
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
