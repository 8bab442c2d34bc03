/// Turns request URLs and paths into a bounded set of endpoint names.
///
/// `/users/42/orders/9f1c…` and `/users/7/orders/a0b2…` are the same endpoint:
/// numeric, UUID and long hexadecimal path segments, and compound ids such as
/// `job_20240129_041853_a9d7c0` (``isCompoundIdentifier(_:)``), become `:id`, and the
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
    ///   `scheme://host[:port]` (ASCII-lowercased) and the normalized path.
    /// - A path keeps its normalized form; an optional leading method
    ///   (`GET /users/1`) is uppercased and kept.
    /// - Empty paths become `/`.
    ///
    /// Normalizing is idempotent: a name normalizes to itself, so a name that
    /// was normalized once (`HTTPRequest.endpointName`) is admitted under the
    /// same name again. The work is done on UTF-8 bytes, not Characters: a `/`
    /// followed by a combining mark is a single Character, which a split on
    /// Characters does not see as a separator on one pass and does on the next
    /// (once a `/` was put in front of the mark). Only ASCII bytes are looked
    /// for, so a multi-byte sequence is never cut.
    public static func normalize(_ target: String) -> String {
        var copy = target
        return copy.withUTF8 { Self.normalized(validUTF8: $0) } ?? target
    }

    /// ``normalize(_:)`` on the UTF-8 bytes of a string; nil when the
    /// normalized name is the input itself, byte for byte (the caller then
    /// keeps the string it has, and nothing is allocated).
    ///
    /// - Precondition: `input` is valid UTF-8 (as a `String`'s bytes are).
    static func normalized(validUTF8 input: UnsafeBufferPointer<UInt8>) -> String? {
        var low = 0
        var high = input.count
        while low < high, Self.isTrimmed(input[low]) { low += 1 }
        while high > low, Self.isTrimmed(input[high - 1]) { high -= 1 }
        // Worst case: every one-byte segment becomes ":id" (3 bytes), plus a
        // leading "/" (or the "/" after an origin) and one spare.
        let capacity = 3 * (high - low) + 2
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { output -> String? in
            var written = 0
            func append(_ byte: UInt8) {
                output[written] = byte
                written += 1
            }
            // "GET /path" or "GET http://…": keep the method, uppercased.
            var space = low
            while space < high, input[space] != 0x20 { space += 1 }
            if space < high, space > low, input[low..<space].allSatisfy(Self.isASCIILetter) {
                for byte in input[low..<space] { append(byte & ~0x20) }
                append(0x20)
                low = space + 1
                while low < high, input[low] == 0x20 { low += 1 }
            }
            // Drop the query and fragment, and whitespace left before them.
            var cut = low
            while cut < high, input[cut] != UInt8(ascii: "?"), input[cut] != UInt8(ascii: "#") { cut += 1 }
            high = cut
            while high > low, Self.isTrimmed(input[high - 1]) { high -= 1 }
            // scheme://[userinfo@]authority: keep the lowercased scheme and authority only.
            var colon = low
            while colon < high, input[colon] != UInt8(ascii: ":") { colon += 1 }
            if colon > low, colon + 2 < high,
                input[colon + 1] == UInt8(ascii: "/"), input[colon + 2] == UInt8(ascii: "/"),
                input[low..<colon].allSatisfy(Self.isSchemeByte)
            {
                for byte in input[low..<colon] { append(Self.asciiLowercased(byte)) }
                append(UInt8(ascii: ":"))
                append(UInt8(ascii: "/"))
                append(UInt8(ascii: "/"))
                var authorityStart = colon + 3
                var authorityEnd = authorityStart
                while authorityEnd < high, input[authorityEnd] != UInt8(ascii: "/") {
                    if input[authorityEnd] == UInt8(ascii: "@") { authorityStart = authorityEnd + 1 }
                    authorityEnd += 1
                }
                for byte in input[authorityStart..<authorityEnd] { append(Self.asciiLowercased(byte)) }
                low = authorityEnd
            }
            // The path, one "/"-separated segment at a time; identifiers become
            // ":id". Each segment is written after a "/", so a path without a
            // leading "/" gains one; the empty segment before a leading "/" is skipped.
            let pathStart = written
            if low < high {
                var segmentStart = input[low] == UInt8(ascii: "/") ? low + 1 : low
                var position = segmentStart
                while position <= high {
                    if position == high || input[position] == UInt8(ascii: "/") {
                        append(UInt8(ascii: "/"))
                        let segment = UnsafeBufferPointer(rebasing: input[segmentStart..<position])
                        if Self.isIdentifier(segment) {
                            for byte in Self.idPlaceholder.utf8 { append(byte) }
                        } else {
                            for byte in segment { append(byte) }
                        }
                        segmentStart = position + 1
                    }
                    position += 1
                }
            }
            if written == pathStart { append(UInt8(ascii: "/")) }
            let result = UnsafeBufferPointer(rebasing: output[0..<written])
            if written == input.count, result.elementsEqual(input) { return nil }
            return String(decoding: result, as: UTF8.self)
        }
    }

    /// The ASCII whitespace trimmed from both ends: space, tab, LF, CR.
    @inline(__always)
    static func isTrimmed(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    @inline(__always)
    static func isASCIILetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// Letters, digits, `+`, `-` and `.` (RFC 3986 scheme characters).
    @inline(__always)
    static func isSchemeByte(_ byte: UInt8) -> Bool {
        Self.isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    @inline(__always)
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// Whether a path segment looks like an identifier: all digits, a UUID, a
    /// long run of hex digits, or a compound id (``isCompoundIdentifier(_:)``).
    @inline(__always)
    static func isIdentifier(_ segment: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !segment.isEmpty else { return false }
        // A template parameter (`{job_id}`) is a name, never an id.
        if segment[0] == UInt8(ascii: "{") { return false }
        if Self.isCompoundIdentifier(segment) { return true }
        var allDigits = true
        var allHex = true
        for byte in segment {
            let digit = byte >= 0x30 && byte <= 0x39
            if !digit { allDigits = false }
            if !(digit || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)) { allHex = false }
            if !allDigits && !allHex { break }
        }
        if allDigits { return true }
        if segment.count == 36 {
            var isUUID = true
            for (offset, byte) in segment.enumerated() {
                if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                    if byte != 0x2D {
                        isUUID = false
                        break
                    }
                } else if !Self.isHexDigit(byte) {
                    isUUID = false
                    break
                }
            }
            if isUUID { return true }
        }
        return segment.count >= Self.minimumHexIdentifierLength && allHex
    }

    /// Whether a segment mixes digits (and usually letters) with `_`, `-` or
    /// `.`: `job_20240129_041853_a9d7c0`, `local_167936`, `new-job-123`,
    /// `preset_4`, `Llama-2-7b-hf`, `2024-01-29`.
    ///
    /// The judgement call: split at `_`, `-` and `.`, the segment is an id
    /// when some part is not a plain word, a plain word being letters with at
    /// most two digits at the end (`oauth2`, `v2`, `redirect`). So
    /// `oauth2-redirect` and `api-v2` stay, and so does a version such as
    /// `v1.2` (`v` and digits, dot-separated). Segments without a separator
    /// are left to the other rules (`v2`, `md5` stay).
    static func isCompoundIdentifier(_ segment: UnsafeBufferPointer<UInt8>) -> Bool {
        var hasSeparator = false
        var hasDigit = false
        for byte in segment {
            if byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") {
                hasSeparator = true
            } else if byte >= 0x30 && byte <= 0x39 {
                hasDigit = true
            } else if !Self.isASCIILetter(byte) {
                return false
            }
        }
        guard hasSeparator, hasDigit else { return false }
        // `v1.2`, `v2.0.1`: a version.
        if segment.count >= 2, segment[0] | 0x20 == UInt8(ascii: "v"), segment[1] >= 0x30, segment[1] <= 0x39,
            segment.dropFirst().allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") })
        {
            return false
        }
        var index = 0
        while index <= segment.count {
            var end = index
            while end < segment.count, segment[end] != UInt8(ascii: "_"), segment[end] != UInt8(ascii: "-"),
                segment[end] != UInt8(ascii: ".")
            {
                end += 1
            }
            // A part: letters, then at most two digits.
            var letters = index
            while letters < end, Self.isASCIILetter(segment[letters]) { letters += 1 }
            let digits = end - letters
            var allDigitsAfter = true
            var probe = letters
            while probe < end {
                if segment[probe] < 0x30 || segment[probe] > 0x39 { allDigitsAfter = false }
                probe += 1
            }
            if end > index, letters == index || !allDigitsAfter || digits > 2 { return true }
            index = end + 1
        }
        return false
    }

    @inline(__always)
    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
    }
}
