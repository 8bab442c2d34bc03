#if canImport(Glibc)
    import Glibc
#endif
import FuzzSupport
import PeftPerfCore

/// libFuzzer entry point for ``EndpointNormalizer``.
///
/// Invariants, on any input:
/// - normalizing is idempotent (the output is a normalized endpoint);
/// - no credentials survive: an `@` never remains in the authority of a
///   normalized absolute URL;
/// - ``EndpointNormalizer/admit(_:)`` never admits more than its bound.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEndpointNormalizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let target = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let once = EndpointNormalizer.normalize(target)
    let twice = EndpointNormalizer.normalize(once)
    precondition(
        once == twice,
        "not idempotent: \(target.debugDescription) -> \(once.debugDescription) -> \(twice.debugDescription)")
    // An absolute URL, after the optional method: no `@` may remain in its authority.
    var rest = Substring(once)
    if let space = rest.firstIndex(of: " "), rest[..<space].allSatisfy({ $0.isASCII && $0.isLetter }) {
        rest = rest[rest.index(after: space)...]
    }
    if let schemeEnd = rest.firstRange(of: "://"), !rest[..<schemeEnd.lowerBound].isEmpty,
        rest[..<schemeEnd.lowerBound].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
    {
        // On bytes, as the normalizer splits: "/" followed by a combining mark is
        // one Character, and would hide the end of the authority.
        let afterScheme = rest[schemeEnd.upperBound...].utf8
        let authority = afterScheme[..<(afterScheme.firstIndex(of: UInt8(ascii: "/")) ?? afterScheme.endIndex)]
        precondition(!authority.contains(UInt8(ascii: "@")), "credentials kept in \(once.debugDescription)")
    }
    // Each line is one endpoint for the bounded admission.
    var normalizer = EndpointNormalizer(maxEndpoints: 3)
    for line in target.split(separator: "\n", omittingEmptySubsequences: false) {
        let name = normalizer.admit(String(line))
        precondition(normalizer.admittedCount <= 3)
        precondition(name == EndpointNormalizer.overflowName || name == EndpointNormalizer.normalize(String(line)))
    }
    // Route templates and sources: hostile text is an error, never a crash,
    // and a parsed template renders to a declaration that parses back to it.
    for line in target.split(separator: "\n", omittingEmptySubsequences: false).prefix(64) {
        if let template = try? RouteTemplate(parsing: String(line)) {
            precondition((try? RouteTemplate(parsing: template.declaration)) == template, "\(line.debugDescription)")
        }
    }
    if let templates = try? RouteSource.parse(Array(target.utf8), pathParameters: ["model_id"]) {
        var grouping = RouteGrouping(templates: templates, cardinality: 2)
        for template in templates.prefix(64) {
            let name = grouping.endpointName(template.endpointName)
            precondition(grouping.endpointName(name) == name || !grouping.collapsed.isEmpty)
        }
    }
    return 0
}

/// SwiftPM links executable targets with `main` aliased to `<Target>_main`,
/// which would shadow libFuzzer's own `main`; so this entry point hands
/// control to libFuzzer's driver explicitly.
@_cdecl("FuzzEndpointNormalizer_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzEndpointNormalizer)
}
