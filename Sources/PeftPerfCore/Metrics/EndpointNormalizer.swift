/// Turns request URLs and paths into a bounded set of endpoint names.
///
/// `/users/42/orders/9f1c…` and `/users/7/orders/a0b2…` are the same endpoint:
/// numeric, UUID and long hexadecimal path segments become `:id`, and the
/// query string and fragment are dropped. Credentials (`user:pass@`) in an
/// absolute URL never survive normalization.
///
/// Normalizing alone does not bound memory (paths can carry slugs), so a
/// normalizer also admits at most ``maxEndpoints`` distinct names; later new
/// names are reported as ``overflowName``.
///
/// Not thread-safe: ``PerformanceMonitor`` keeps one behind its mutex.
public struct EndpointNormalizer: Sendable {
    /// The name used once ``maxEndpoints`` distinct endpoints were seen.
    public static let overflowName = "(other)"
    /// Placeholder for identifier segments.
    public static let idPlaceholder = ":id"
    /// Hex segments at least this long are treated as identifiers (hashes,
    /// object ids); shorter ones may be words like `cafe` or `add`.
    public static let minimumHexIdentifierLength = 16

    /// How many distinct endpoint names are admitted.
    public let maxEndpoints: Int
    private var admitted: Set<String> = []

    /// - Parameter maxEndpoints: distinct names admitted before ``overflowName``; default 1000.
    public init(maxEndpoints: Int = 1000) {
        self.maxEndpoints = max(0, maxEndpoints)
    }

    /// Number of distinct names admitted so far.
    public var admittedCount: Int { self.admitted.count }

    /// The bounded endpoint name for `target`: its normalized form if it is
    /// already known or there is room, ``overflowName`` otherwise.
    public mutating func admit(_ target: String) -> String {
        self.admit(normalized: Self.normalize(target))
    }

    /// Admits a name that is already normalized (see ``normalize(_:)``), so
    /// that callers which normalize outside a lock do not pay for it twice.
    public mutating func admit(normalized name: String) -> String {
        if self.admitted.contains(name) { return name }
        guard self.admitted.count < self.maxEndpoints else { return Self.overflowName }
        self.admitted.insert(name)
        return name
    }

    /// Normalizes a path or an absolute URL, without bounding.
    ///
    /// - An absolute `scheme://[user[:pass]@]host[:port]/path?query#frag` keeps
    ///   `scheme://host[:port]` (lowercased) and the normalized path.
    /// - A path keeps its normalized form; an optional leading method
    ///   (`GET /users/1`) is kept as is.
    /// - Empty paths become `/`.
    public static func normalize(_ target: String) -> String {
        var text = Substring(target.trimmingASCIIWhitespace())
        var prefix = ""
        // "GET /path" or "GET http://…": keep the method.
        if let space = text.firstIndex(of: " ") {
            let method = text[..<space]
            if !method.isEmpty, method.allSatisfy({ $0.isASCII && $0.isLetter }) {
                prefix = method.uppercased() + " "
                text = text[text.index(after: space)...].drop(while: { $0 == " " })
            }
        }
        // Drop fragment and query.
        if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
        if let question = text.firstIndex(of: "?") { text = text[..<question] }

        var origin = ""
        if let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://"),
            !text[..<colon].isEmpty,
            text[..<colon].allSatisfy({
                $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".")
            })
        {
            let scheme = text[..<colon].lowercased()
            let rest = text[text.index(colon, offsetBy: 3)...]
            let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            origin = scheme + "://" + authority.lowercased()
            text = rest[authorityEnd...]
        }
        var path = ""
        var first = true
        for segment in text.split(separator: "/", omittingEmptySubsequences: false) {
            if first {
                first = false
                if segment.isEmpty { continue }
            }
            path += "/"
            path += Self.isIdentifier(segment) ? Self.idPlaceholder : String(segment)
        }
        if path.isEmpty { path = "/" }
        return prefix + origin + path
    }

    /// Whether a path segment looks like an identifier: all digits, a UUID, or
    /// a long run of hex digits.
    static func isIdentifier(_ segment: Substring) -> Bool {
        let utf8 = segment.utf8
        guard !utf8.isEmpty else { return false }
        if utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return true }
        if utf8.count == 36 {
            var isUUID = true
            for (offset, byte) in utf8.enumerated() {
                if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                    if byte != 0x2D {
                        isUUID = false
                        break
                    }
                } else if !isHexDigit(byte) {
                    isUUID = false
                    break
                }
            }
            if isUUID { return true }
        }
        return utf8.count >= minimumHexIdentifierLength && utf8.allSatisfy(isHexDigit)
    }

    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
    }
}
