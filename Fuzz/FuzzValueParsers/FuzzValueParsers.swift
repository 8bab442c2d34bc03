#if canImport(Glibc)
    import Glibc
#endif
import FuzzSupport
import PeftPerfCore

/// Checks that trip over bugs already reported run only when
/// PEFT_FUZZ_KNOWN_BUGS is set (each has a disabled test in
/// Tests/PeftPerfCoreTests/FuzzRegressionTests.swift); otherwise every run
/// would stop at the first such input. Remove the guard once the bug is fixed.
let checkKnownBugs = getenv("PEFT_FUZZ_KNOWN_BUGS") != nil

/// libFuzzer entry point: the duration, percentage and number parsers must
/// never crash, and must keep their documented invariants on any input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzValueParsers(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let seconds = try? DurationParser.seconds(from: text) {
        precondition(seconds.isFinite && seconds >= 0, "duration out of range for \(text.debugDescription)")
        // Known bug: format(seconds:) traps from 2^63 s on (Int(s)).
        if checkKnownBugs || seconds < 9.2e18 { _ = DurationParser.format(seconds: seconds) }
    }
    if let fraction = try? PercentageParser.fraction(from: text) {
        precondition(fraction.isFinite && fraction >= 0, "percentage out of range for \(text.debugDescription)")
    }
    if let number = DecimalNumber.parse(text) {
        precondition(number.isFinite && number >= 0)
        _ = DecimalNumber.format(number, places: 3)
    }
    _ = DecimalNumber.parseInteger(text)
    _ = Redaction.redactURL(text)
    _ = Redaction.redactHeader(text)
    return 0
}

/// SwiftPM links executable targets with `main` aliased to `<Target>_main`,
/// which would shadow libFuzzer's own `main`; so this entry point hands
/// control to libFuzzer's driver explicitly.
@_cdecl("FuzzValueParsers_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzValueParsers)
}
