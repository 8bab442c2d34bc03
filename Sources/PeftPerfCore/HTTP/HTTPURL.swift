internal import CCurl

/// A validated `http` or `https` URL, with its credentials kept out of output.
///
/// Parsed by libcurl's own URL parser (`curl_url`), so what is accepted here
/// is exactly what libcurl will request. ``description`` and ``redacted``
/// never contain a user name or password; ``absoluteString`` does and is only
/// handed to libcurl.
public struct HTTPURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL as given to libcurl, credentials included. Never print it.
    let absoluteString: String
    /// The URL without `user:password@`, safe for output, logs and the store.
    public let redacted: String
    /// `http` or `https`.
    public let scheme: String
    /// Host name or address, without brackets for IPv6.
    public let host: String
    /// Explicit port, if the URL has one.
    public let port: Int?
    /// Path and query, `/` at least.
    public let pathAndQuery: String
    /// User and password found in the URL, to scrub from error messages.
    let secrets: [String]

    /// Parses and validates `text`.
    ///
    /// - Throws: ``HTTPURLError`` naming the problem: not a URL, a scheme
    ///   other than http/https, no host, port 0. The message shows the URL with any
    ///   credentials replaced by `***`.
    public init(_ text: String) throws(HTTPURLError) {
        let shown = Self.scrubCredentials(text)
        guard !text.isEmpty else { throw HTTPURLError(url: shown, reason: "empty URL") }
        guard text.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else {
            throw HTTPURLError(url: shown, reason: "URL contains spaces or control characters")
        }
        do {
            try CurlGlobal.ensureInitialized()
        } catch {
            throw HTTPURLError(url: shown, reason: error.description)
        }
        guard let handle = peft_curl_url() else { throw HTTPURLError(url: shown, reason: "out of memory") }
        defer { peft_curl_url_cleanup(handle) }
        let rc = peft_curl_url_set(handle, CURLUPART_URL, text, 0)
        guard rc == CURLUE_OK else {
            throw HTTPURLError(url: shown, reason: String(cString: peft_curl_url_strerror(rc)))
        }
        func part(_ which: CURLUPart) -> String? {
            var out: UnsafeMutablePointer<CChar>? = nil
            guard peft_curl_url_get(handle, which, &out, 0) == CURLUE_OK, let out else { return nil }
            defer { peft_curl_free(out) }
            return String(cString: out)
        }
        let scheme = (part(CURLUPART_SCHEME) ?? "").lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw HTTPURLError(url: shown, reason: "only http and https URLs are supported, not '\(scheme)'")
        }
        guard var host = part(CURLUPART_HOST), !host.isEmpty else {
            throw HTTPURLError(url: shown, reason: "URL has no host")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        // An IPv6 zone id is an interface name or number (RFC 6874: unreserved
        // characters). libcurl accepts more, "[::1%40x@[]" for one, and then
        // cannot parse the URL it rebuilds itself (with the credentials removed).
        if let zone = part(CURLUPART_ZONEID),
            !zone.utf8.allSatisfy({ byte in
                (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: "~")
            })
        {
            throw HTTPURLError(url: shown, reason: "the IPv6 zone id is not an interface name")
        }
        let user = part(CURLUPART_USER)
        let password = part(CURLUPART_PASSWORD)
        self.secrets = [user, password].compactMap { $0 }.filter { !$0.isEmpty }
        self.scheme = scheme
        self.host = host
        let port = part(CURLUPART_PORT).flatMap { Int($0) }
        // libcurl's parser accepts port 0 ("between 0 and 65535"), but no
        // server listens there: every request would fail to connect.
        guard port != 0 else { throw HTTPURLError(url: shown, reason: "port 0 is not a port a server can listen on") }
        self.port = port
        let path = part(CURLUPART_PATH) ?? "/"
        let query = part(CURLUPART_QUERY)
        self.pathAndQuery = (path.isEmpty ? "/" : path) + (query.map { "?" + $0 } ?? "")
        // curl normalizes the URL (lowercase scheme, default path) in CURLUPART_URL.
        self.absoluteString = part(CURLUPART_URL) ?? text
        if user != nil || password != nil {
            // Remove the credentials and let curl rebuild the URL.
            _ = peft_curl_url_set(handle, CURLUPART_USER, nil, 0)
            _ = peft_curl_url_set(handle, CURLUPART_PASSWORD, nil, 0)
            self.redacted = part(CURLUPART_URL) ?? shown
        } else {
            self.redacted = self.absoluteString
        }
    }

    public var description: String { self.redacted }

    /// `host:port` as shown in reports (port omitted when default).
    public var authority: String {
        let h = self.host.contains(":") ? "[\(self.host)]" : self.host
        return self.port.map { "\(h):\($0)" } ?? h
    }

    /// Replaces `user[:password]@` in a URL-looking string with `***@`,
    /// for messages about strings that could not even be parsed.
    static func scrubCredentials(_ text: String) -> String {
        guard let schemeEnd = text.firstRange(of: "://") else {
            // No scheme: anything before an '@' that precedes the first '/' may be credentials.
            if let at = text.firstIndex(of: "@"), !text[..<at].contains("/") {
                return "***@" + text[text.index(after: at)...]
            }
            return text
        }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
        return text[..<schemeEnd.upperBound] + "***@" + rest[rest.index(after: at)...]
    }
}
