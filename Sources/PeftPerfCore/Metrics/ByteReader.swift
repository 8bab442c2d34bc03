/// Reads the fields of a serialized ``HDRHistogram``, reporting truncation as an error.
///
/// Generic so that one decoder serves both an owned array and bytes borrowed
/// from SQLite (a BLOB column, valid until the next step), without a copy.
struct ByteReader<Bytes: RandomAccessCollection> where Bytes.Element == UInt8, Bytes.Index == Int {
    let bytes: Bytes
    var offset = 0

    var isAtEnd: Bool { self.offset == self.bytes.count }

    mutating func take(_ n: Int) -> [UInt8]? {
        guard self.bytes.count - self.offset >= n else { return nil }
        defer { self.offset += n }
        let start = self.bytes.startIndex + self.offset
        return Array(self.bytes[start..<(start + n)])
    }

    /// The next ``VarInt``.
    mutating func varint() throws(HistogramDecodingError) -> UInt64 {
        guard let value = VarInt.read(self.bytes, at: &self.offset) else {
            throw HistogramDecodingError(self.isAtEnd ? "truncated histogram" : "varint too long")
        }
        return value
    }

    /// The next 8 bytes, as the little-endian bit pattern of a `Double`.
    mutating func double() throws(HistogramDecodingError) -> Double {
        guard let bytes = self.take(8) else { throw HistogramDecodingError("truncated histogram") }
        var bits: UInt64 = 0
        for (offset, byte) in bytes.enumerated() { bits |= UInt64(byte) << UInt64(offset * 8) }
        return Double(bitPattern: bits)
    }
}
