extension HDRHistogram {
    /// Adds a histogram in ``serialized()`` form to this one without building
    /// it first: what `metrics` does for every stored row, so reading a month
    /// of rows allocates nothing per row.
    ///
    /// The result is exactly `merge(HDRHistogram(serialized: bytes))` when the
    /// precisions and units match; otherwise it falls back to that.
    ///
    /// - Throws: ``HistogramDecodingError`` for damaged bytes; `self` is then unchanged.
    mutating func merge(serialized bytes: UnsafeRawBufferPointer) throws(HistogramDecodingError) {
        var reader = ByteReader(bytes: bytes)
        let header = try SerializedHeader.read(from: &reader)
        guard header.significantDigits == self.significantDigits, header.unit == self.unit else {
            self.merge(try HDRHistogram(serialized: Array(bytes)))
            return
        }
        let (total, slotCount) = (header.total, header.slotCount)
        guard slotCount <= UInt64(self.counts.count) else {
            throw HistogramDecodingError("histogram has \(slotCount) slots, at most \(self.counts.count) expected")
        }
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
            total: self.totalCount &+ total, clamped: self.clampedCount &+ header.clamped,
            min: wasEmpty ? header.minimum : Swift.min(self.minValue, header.minimum),
            max: wasEmpty ? header.maximum : Swift.max(self.maxValue, header.maximum), sum: self.sum + header.sum)
    }
}
