extension HDRHistogram {
    /// Adds a histogram in ``serialized()`` form to this one without building
    /// it first: what `metrics` does for every stored row, so reading a month
    /// of rows allocates nothing per row.
    ///
    /// The result is exactly `merge(HDRHistogram(serialized: bytes))` when the
    /// precisions match; otherwise it falls back to that.
    ///
    /// - Throws: ``HistogramDecodingError`` for damaged bytes; `self` is then unchanged.
    mutating func merge(serialized bytes: UnsafeRawBufferPointer) throws(HistogramDecodingError) {
        var reader = ByteReader(bytes: bytes)
        guard reader.take(3) == Self.serializationMagic else {
            throw HistogramDecodingError("not a peft-perf histogram (bad magic or version)")
        }
        let digits = try reader.varint()
        guard Int(exactly: digits) == self.significantDigits else {
            self.merge(try HDRHistogram(serialized: Array(bytes)))
            return
        }
        let total = try reader.varint()
        let clamped = try reader.varint()
        let minimum = try reader.varint()
        let maximum = try reader.varint()
        guard let sumBytes = reader.take(8) else { throw HistogramDecodingError("truncated histogram") }
        var bits: UInt64 = 0
        for (offset, byte) in sumBytes.enumerated() { bits |= UInt64(byte) << UInt64(offset * 8) }
        let sum = Double(bitPattern: bits)
        let slotCount = try reader.varint()
        guard slotCount <= UInt64(self.counts.count) else {
            throw HistogramDecodingError("histogram has \(slotCount) slots, at most \(self.counts.count) expected")
        }
        guard minimum <= maximum, maximum <= Self.highestTrackableMicroseconds, clamped <= total, sum.isFinite,
            sum >= 0
        else { throw HistogramDecodingError("inconsistent summary in histogram") }
        // First pass validates; the second adds. A damaged blob changes nothing.
        let payloadStart = reader.offset
        let seen = try Self.forEachSlot(in: &reader, slotCount: Int(slotCount)) { _, _ in }
        guard reader.offset == bytes.count else { throw HistogramDecodingError("trailing bytes after histogram") }
        guard seen == total else { throw HistogramDecodingError("slot counts add up to \(seen), header says \(total)") }
        reader.offset = payloadStart
        _ = try Self.forEachSlot(in: &reader, slotCount: Int(slotCount)) { self.counts[$0] &+= $1 }
        guard total > 0 else { return }
        let wasEmpty = self.totalCount == 0
        self.restoreSummary(
            total: self.totalCount &+ total, clamped: self.clampedCount &+ clamped,
            min: wasEmpty ? minimum : Swift.min(self.minMicroseconds, minimum),
            max: wasEmpty ? maximum : Swift.max(self.maxMicroseconds, maximum), sum: self.sumMicroseconds + sum)
    }
}
