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
        var seen: UInt64 = 0
        for pass in 0..<2 {
            reader.offset = payloadStart
            var index = 0
            while index < Int(slotCount) {
                let raw = try reader.varint()
                if raw & 1 == 1 {
                    let skip = (raw >> 1) &+ 1
                    guard skip <= UInt64(Int(slotCount) - index) else {
                        throw HistogramDecodingError("run of empty slots overflows")
                    }
                    index += Int(skip)
                } else {
                    let count = raw >> 1
                    guard count > 0 else { throw HistogramDecodingError("zero count written as a slot") }
                    if pass == 0 {
                        let (next, overflow) = seen.addingReportingOverflow(count)
                        guard !overflow else { throw HistogramDecodingError("counts overflow") }
                        seen = next
                    } else {
                        self.counts[index] &+= count
                    }
                    index += 1
                }
            }
            if pass == 0 {
                guard reader.offset == bytes.count else {
                    throw HistogramDecodingError("trailing bytes after histogram")
                }
                guard seen == total else {
                    throw HistogramDecodingError("slot counts add up to \(seen), header says \(total)")
                }
            }
        }
        guard total > 0 else { return }
        let wasEmpty = self.totalCount == 0
        self.restoreSummary(
            total: self.totalCount &+ total, clamped: self.clampedCount &+ clamped,
            min: wasEmpty ? minimum : Swift.min(self.minMicroseconds, minimum),
            max: wasEmpty ? maximum : Swift.max(self.maxMicroseconds, maximum), sum: self.sumMicroseconds + sum)
    }
}
