/// A compact, exact binary form of ``HDRHistogram`` for the store.
///
/// Layout (all integers unsigned LEB128 varints unless noted):
///
///     "PH" 0x01                     magic and format version
///     significantDigits
///     totalCount  clampedCount  min  max
///     sum                           8 bytes, IEEE-754 bit pattern, little endian
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
        var out = Self.serializationMagic
        out.reserveCapacity(64 + 4 * 64)
        Self.appendVarint(UInt64(self.significantDigits), to: &out)
        Self.appendVarint(self.totalCount, to: &out)
        Self.appendVarint(self.clampedCount, to: &out)
        Self.appendVarint(self.minMicroseconds, to: &out)
        Self.appendVarint(self.maxMicroseconds, to: &out)
        let bits = self.sumMicroseconds.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        // Trailing empty slots are not written.
        let lastUsed = self.counts.lastIndex(where: { $0 != 0 }) ?? -1
        Self.appendVarint(UInt64(lastUsed + 1), to: &out)
        var zeros: UInt64 = 0
        for index in 0..<(lastUsed + 1) {
            let count = self.counts[index]
            if count == 0 {
                zeros += 1
                continue
            }
            if zeros > 0 {
                Self.appendVarint(Self.zigzag(negative: zeros), to: &out)
                zeros = 0
            }
            Self.appendVarint(Self.zigzag(positive: count), to: &out)
        }
        return out
    }

    /// Restores a histogram written by ``serialized()``.
    ///
    /// - Throws: ``HistogramDecodingError`` when the bytes are not a valid
    ///   serialized histogram (wrong magic, truncated, inconsistent counts).
    public init(serialized bytes: some Collection<UInt8>) throws(HistogramDecodingError) {
        var reader = ByteReader(bytes: Array(bytes))
        guard reader.take(3) == Self.serializationMagic else {
            throw HistogramDecodingError("not a peft-perf histogram (bad magic or version)")
        }
        let digits = try reader.varint()
        guard (1...5).contains(digits) else {
            throw HistogramDecodingError("significant digits \(digits) out of range")
        }
        self.init(significantDigits: Int(digits))
        let total = try reader.varint()
        let clamped = try reader.varint()
        let minimum = try reader.varint()
        let maximum = try reader.varint()
        guard let sumBytes = reader.take(8) else { throw HistogramDecodingError("truncated histogram") }
        var bits: UInt64 = 0
        for (offset, byte) in sumBytes.enumerated() { bits |= UInt64(byte) << UInt64(offset * 8) }
        let slotCount = try reader.varint()
        guard slotCount <= UInt64(self.counts.count) else {
            throw HistogramDecodingError("histogram has \(slotCount) slots, at most \(self.counts.count) expected")
        }
        let seen = try Self.forEachSlot(in: &reader, slotCount: Int(slotCount)) { self.counts[$0] = $1 }
        guard reader.isAtEnd else { throw HistogramDecodingError("trailing bytes after histogram") }
        guard seen == total else { throw HistogramDecodingError("slot counts add up to \(seen), header says \(total)") }
        guard minimum <= maximum, maximum <= Self.highestTrackableMicroseconds, clamped <= total else {
            throw HistogramDecodingError("inconsistent min/max in histogram")
        }
        let sum = Double(bitPattern: bits)
        guard sum.isFinite, sum >= 0 else { throw HistogramDecodingError("invalid sum in histogram") }
        self.restoreSummary(total: total, clamped: clamped, min: minimum, max: maximum, sum: sum)
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

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}

/// Reads varints from bytes, reporting truncation as an error.
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
        return Array(self.bytes[self.offset..<(self.offset + n)])
    }

    mutating func varint() throws(HistogramDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard self.offset < self.bytes.count else { throw HistogramDecodingError("truncated histogram") }
            let byte = self.bytes[self.offset]
            self.offset += 1
            guard shift < 64, !(shift == 63 && byte > 1) else { throw HistogramDecodingError("varint too long") }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }
}
