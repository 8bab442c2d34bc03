extension HDRHistogram {
    /// The fields of ``serialized()`` before the slot payload, checked as far
    /// as they can be without the histogram they are read into: the one
    /// decoder of the header, for ``init(serialized:)`` and ``merge(serialized:)``.
    struct SerializedHeader {
        var unit: Unit
        var significantDigits: Int
        var total: UInt64
        var clamped: UInt64
        var minimum: UInt64
        var maximum: UInt64
        var sum: Double
        var slotCount: UInt64

        /// Reads the header and leaves `reader` at the payload.
        ///
        /// - Throws: ``HistogramDecodingError`` for a wrong magic or version, an
        ///   unknown unit, digits outside 1…5, a truncated header, or a summary
        ///   no histogram can have (min above max, max above the range, more
        ///   clamped values than values, a negative or non-finite sum).
        static func read<Bytes>(from reader: inout ByteReader<Bytes>) throws(HistogramDecodingError) -> Self {
            guard let magic = reader.take(3), magic[0...1] == HDRHistogram.serializationMagic[0...1],
                let version = magic.last, version == 1 || version == 2
            else { throw HistogramDecodingError("not a peft-perf histogram (bad magic or version)") }
            var unit = Unit.microseconds
            if version == 2 {
                let code = try reader.varint()
                guard let known = Unit(code: code) else { throw HistogramDecodingError("unknown unit \(code)") }
                unit = known
            }
            let digits = try reader.varint()
            guard (1...5).contains(digits) else {
                throw HistogramDecodingError("significant digits \(digits) out of range")
            }
            let header = Self(
                unit: unit, significantDigits: Int(digits), total: try reader.varint(), clamped: try reader.varint(),
                minimum: try reader.varint(), maximum: try reader.varint(), sum: try reader.double(),
                slotCount: try reader.varint())
            guard header.minimum <= header.maximum,
                header.maximum <= HDRHistogram.highestTrackableMicroseconds * unit.perMicrosecond,
                header.clamped <= header.total
            else { throw HistogramDecodingError("inconsistent min/max in histogram") }
            guard header.sum.isFinite, header.sum >= 0 else { throw HistogramDecodingError("invalid sum in histogram") }
            return header
        }

        /// Writes the header of `histogram`: format version 1 for microseconds
        /// (what every build wrote before units), version 2 with the unit otherwise.
        static func write(_ histogram: HDRHistogram, slotCount: Int, to out: inout [UInt8]) {
            if histogram.unit == .microseconds {
                out += HDRHistogram.serializationMagic
            } else {
                out += HDRHistogram.serializationMagic[0...1] + [2]
                VarInt.append(histogram.unit.code, to: &out)
            }
            VarInt.append(UInt64(histogram.significantDigits), to: &out)
            VarInt.append(histogram.totalCount, to: &out)
            VarInt.append(histogram.clampedCount, to: &out)
            VarInt.append(histogram.minValue, to: &out)
            VarInt.append(histogram.maxValue, to: &out)
            let bits = histogram.sum.bitPattern
            for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
            VarInt.append(UInt64(slotCount), to: &out)
        }
    }
}
