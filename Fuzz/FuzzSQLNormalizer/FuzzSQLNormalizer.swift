import FuzzSupport
import PeftPerfCore

/// libFuzzer entry point for ``SQLNormalizer``.
///
/// It never traps, whatever the input, and keeps these invariants:
/// - the output is capped at `maximumLength` bytes plus the 3-byte `…`;
/// - `isBlank(sql)` exactly when the normalized text is empty (both drop
///   whitespace, comments and semicolons, unterminated comments included);
/// - normalizing is idempotent below the cap: the output is already in
///   normal form (keywords upper-cased, literals `?`, lists collapsed, one
///   space between tokens), so normalizing it again changes nothing. A capped
///   output may end inside a token, so it is not checked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSQLNormalizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let sql = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let once = SQLNormalizer.normalize(sql)
    precondition(
        once.utf8.count <= SQLNormalizer.maximumLength + 3, "normalized text over the cap for \(sql.debugDescription)")
    precondition(
        SQLNormalizer.isBlank(sql) == once.isEmpty,
        "isBlank and normalize disagree for \(sql.debugDescription) -> \(once.debugDescription)")
    if once.utf8.count <= SQLNormalizer.maximumLength {
        let twice = SQLNormalizer.normalize(once)
        precondition(
            twice == once,
            "not idempotent: \(sql.debugDescription) -> \(once.debugDescription) -> \(twice.debugDescription)")
    }
    return 0
}

/// SwiftPM links executable targets with `main` aliased to `<Target>_main`,
/// which would shadow libFuzzer's own `main`; so this entry point hands
/// control to libFuzzer's driver explicitly.
@_cdecl("FuzzSQLNormalizer_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzSQLNormalizer)
}
