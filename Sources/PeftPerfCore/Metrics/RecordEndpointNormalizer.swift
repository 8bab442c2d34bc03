/// A byte-level fast path for ``EndpointNormalizer/normalize(_:)``, for `record`.
///
/// `record` normalizes one endpoint per line, and endpoints carrying ids
/// (`GET /api/runs/48213`) are mostly distinct, so a cache does not help:
/// the general normalizer's `Substring` work was over half of `record`'s time.
/// This handles the common shape, `[METHOD ]/path` in printable ASCII with
/// no query, fragment, scheme or stray whitespace, in one pass over the bytes,
/// and hands anything else to ``EndpointNormalizer/normalize(_:)``. Both give
/// the same answer on every input (a test checks this over generated inputs).
enum RecordEndpointNormalizer {
    static func normalize(_ endpoint: String) -> String {
        var copy = endpoint
        let fast: String?? = copy.withUTF8 { bytes -> String?? in
            guard let result = Self.fastNormalize(bytes) else { return .some(nil) }
            return .some(result)
        }
        if case .some(.some(let result)) = fast { return result }
        return EndpointNormalizer.normalize(endpoint)
    }

    /// Nil when the input is not in the simple shape.
    static func fastNormalize(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let count = bytes.count
        guard count > 0 else { return nil }
        var index = 0
        // Optional method: uppercase ASCII letters, then exactly one space.
        if bytes[0] != UInt8(ascii: "/") {
            while index < count, bytes[index] >= UInt8(ascii: "A"), bytes[index] <= UInt8(ascii: "Z") { index += 1 }
            guard index > 0, index + 1 < count, bytes[index] == UInt8(ascii: " "),
                bytes[index + 1] == UInt8(ascii: "/")
            else { return nil }
            index += 1
        }
        let pathStart = index
        // The path: printable ASCII without space, '?', '#'; no "://" (an absolute URL).
        var scan = pathStart
        while scan < count {
            let byte = bytes[scan]
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "?"), byte != UInt8(ascii: "#") else { return nil }
            if byte == UInt8(ascii: ":"), scan + 2 < count, bytes[scan + 1] == UInt8(ascii: "/"),
                bytes[scan + 2] == UInt8(ascii: "/")
            {
                return nil
            }
            scan += 1
        }
        // Fast exit: no segment is an identifier, the input is already normal.
        var output: [UInt8]? = nil
        var segmentStart = pathStart + 1
        var position = pathStart + 1
        while position <= count {
            if position == count || bytes[position] == UInt8(ascii: "/") {
                let segment = UnsafeBufferPointer(rebasing: bytes[segmentStart..<position])
                if Self.isIdentifier(segment) {
                    if output == nil {
                        output = Array(bytes[0..<segmentStart])
                        output!.reserveCapacity(count)
                    }
                    output!.append(contentsOf: EndpointNormalizer.idPlaceholder.utf8)
                } else if output != nil {
                    output!.append(contentsOf: segment)
                }
                if position < count, output != nil { output!.append(UInt8(ascii: "/")) }
                segmentStart = position + 1
            }
            position += 1
        }
        guard let output else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Same test as ``EndpointNormalizer/isIdentifier(_:)``, on bytes.
    @inline(__always)
    static func isIdentifier(_ segment: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !segment.isEmpty else { return false }
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
                } else if !EndpointNormalizer.isHexDigit(byte) {
                    isUUID = false
                    break
                }
            }
            if isUUID { return true }
        }
        return segment.count >= EndpointNormalizer.minimumHexIdentifierLength && allHex
    }
}
