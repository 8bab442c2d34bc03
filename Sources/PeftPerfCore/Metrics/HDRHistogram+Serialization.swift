/// A compact, exact binary form of ``HDRHistogram`` for the store.
///
/// Layout (all integers unsigned LEB128 varints unless noted):
///
///     "PH" 0x01                     magic and format version 1: microseconds
///  or "PH" 0x02 unit                version 2: the unit (0 µs, 1 ns)
///     significantDigits
///     totalCount  clampedCount  min  max   in the unit
///     sum                           in the unit, 8 bytes, IEEE-754 bit pattern, little endian
///     slot count                    number of count slots the payload covers
///     payload                       zigzag varints: n > 0 is the count of the next
///                                   slot; n < 0 skips -n empty slots
///
/// This is HdrHistogram's V2 "ZigZag LEB128" run-length idea: a bench-sized
/// histogram with a few hundred non-empty slots takes a few hundred bytes
/// instead of 184 KiB. Decoding checks every field, so a damaged blob is an
/// error rather than a wrong percentile.
extension HDRHistogram {
    static let serializationMagic: [UInt8] = [0x50, 0x48, 0x01]

    /// The histogram as compact bytes; ``init(serialized:)`` restores it exactly.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + 4 * 64)
        // Trailing empty slots are not written.
        let lastUsed = self.counts.lastIndex(where: { $0 != 0 }) ?? -1
        SerializedHeader.write(self, slotCount: lastUsed + 1, to: &out)
        var zeros: UInt64 = 0
        for index in 0..<(lastUsed + 1) {
            let count = self.counts[index]
            if count == 0 {
                zeros += 1
                continue
            }
            if zeros > 0 {
                VarInt.append(Self.zigzag(negative: zeros), to: &out)
                zeros = 0
            }
            VarInt.append(Self.zigzag(positive: count), to: &out)
        }
        return out
    }

    /// Restores a histogram written by ``serialized()``.
    ///
    /// - Throws: ``HistogramDecodingError`` when the bytes are not a valid
    ///   serialized histogram (wrong magic, truncated, inconsistent counts).
    public init(serialized bytes: some Collection<UInt8>) throws(HistogramDecodingError) {
        var reader = ByteReader(bytes: Array(bytes))
        let header = try SerializedHeader.read(from: &reader)
        self.init(significantDigits: header.significantDigits, unit: header.unit)
        guard header.slotCount <= UInt64(self.counts.count) else {
            throw HistogramDecodingError(
                "histogram has \(header.slotCount) slots, at most \(self.counts.count) expected")
        }
        let seen = try Self.forEachSlot(in: &reader, slotCount: Int(header.slotCount)) { self.counts[$0] = $1 }
        guard reader.isAtEnd else { throw HistogramDecodingError("trailing bytes after histogram") }
        guard seen == header.total else {
            throw HistogramDecodingError("slot counts add up to \(seen), header says \(header.total)")
        }
        self.restoreSummary(
            total: header.total, clamped: header.clamped, min: header.minimum, max: header.maximum, sum: header.sum)
    }

    /// Reads the run-length payload of `slotCount` slots, calls `body` with
    /// the index and count of each non-empty one, and returns the sum of the
    /// counts: the one decoder of the payload, for ``init(serialized:)`` and
    /// ``merge(serialized:)``.
    ///
    /// - Throws: ``HistogramDecodingError`` for a run past the end, a zero
    ///   count or counts that overflow.
    static func forEachSlot<Bytes>(
        in reader: inout ByteReader<Bytes>, slotCount: Int, _ body: (Int, UInt64) -> Void
    ) throws(HistogramDecodingError) -> UInt64 {
        var index = 0
        var seen: UInt64 = 0
        while index < slotCount {
            let raw = try reader.varint()
            if raw & 1 == 1 {
                let skip = (raw >> 1) &+ 1
                guard skip <= UInt64(slotCount - index) else {
                    throw HistogramDecodingError("run of empty slots overflows")
                }
                index += Int(skip)
            } else {
                let count = raw >> 1
                guard count > 0 else { throw HistogramDecodingError("zero count written as a slot") }
                let (sum, overflow) = seen.addingReportingOverflow(count)
                guard !overflow else { throw HistogramDecodingError("counts overflow") }
                seen = sum
                body(index, count)
                index += 1
            }
        }
        return seen
    }

    // Zigzag over signed values: a count c > 0 is 2c, a run of z empty slots
    // (-z) is 2(z-1)+1.
    static func zigzag(positive value: UInt64) -> UInt64 { value << 1 }
    static func zigzag(negative run: UInt64) -> UInt64 { ((run - 1) << 1) | 1 }
}
