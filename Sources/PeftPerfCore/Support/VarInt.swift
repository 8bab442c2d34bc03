/// Unsigned LEB128 varints: seven bits a byte, lowest first, the high bit set
/// on every byte but the last. The one codec of the store's compact binary
/// forms (``HDRHistogram/serialized()`` and its readers).
enum VarInt {
    /// Appends `value` to `out`, in 1 to 10 bytes.
    static func append(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    /// Reads the varint at `offset` and moves `offset` past it.
    ///
    /// - Returns: the value; nil when the bytes end before its last byte
    ///   (`offset` is then at the end) or when it does not fit 64 bits
    ///   (`offset` is then at the byte that overflows).
    static func read<Bytes: RandomAccessCollection>(_ bytes: Bytes, at offset: inout Int) -> UInt64?
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            let byte = bytes[bytes.startIndex + offset]
            guard shift < 64, !(shift == 63 && byte > 1) else { return nil }
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        return nil
    }
}
