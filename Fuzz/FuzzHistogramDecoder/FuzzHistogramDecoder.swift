import FuzzSupport
import PeftPerfCore

/// libFuzzer entry point for ``HDRHistogram/init(serialized:)``.
///
/// Decoding arbitrary bytes must throw, never trap. A blob that decodes must
/// be a usable histogram: it re-serializes to bytes that decode to the same
/// value, its percentiles stay within its min and max, and it merges with
/// itself and with a histogram of another precision.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHistogramDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let histogram: HDRHistogram
    do {
        histogram = try HDRHistogram(serialized: bytes)
    } catch {
        precondition(!error.reason.isEmpty)
        return 0
    }
    let again: HDRHistogram
    do {
        again = try HDRHistogram(serialized: histogram.serialized())
    } catch {
        preconditionFailure("a decoded histogram does not round-trip: \(error)")
    }
    precondition(again == histogram, "round trip changed the histogram")

    // A 5-digit histogram has 2 Mi slots: every pass over them costs, so the
    // queries are few.
    for percentile in [0, 50, 99.9, 100.0.nextDown, 100, .nan] {
        guard let value = histogram.value(atPercentile: percentile) else {
            precondition(histogram.isEmpty)
            continue
        }
        precondition(value >= histogram.minMicroseconds && value <= histogram.maxMicroseconds)
        _ = histogram.seconds(atPercentile: percentile)
    }
    _ = (histogram.meanSeconds, histogram.minSeconds, histogram.maxSeconds)
    _ = histogram.count(atOrBelow: .max)
    _ = histogram.nonEmptySlots()

    var doubled = histogram
    doubled.merge(histogram)
    var other = HDRHistogram(significantDigits: histogram.significantDigits == 2 ? 3 : 2)
    other.record(microseconds: 1500)
    other.merge(histogram)
    _ = other.value(atPercentile: 99)
    return 0
}

/// SwiftPM links executable targets with `main` aliased to `<Target>_main`,
/// which would shadow libFuzzer's own `main`; so this entry point hands
/// control to libFuzzer's driver explicitly.
@_cdecl("FuzzHistogramDecoder_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzHistogramDecoder)
}
