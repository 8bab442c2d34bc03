// @testable: the response-header parser is a method of the internal
// CurlEasyHandle, and the secrets a URL carries are internal; debug builds
// are built with testing enabled.
import FuzzSupport
@testable import PeftPerfCore

/// One easy handle for every run: only its header buffer is used. libcurl is
/// loaded with dlopen on first use, which works in a fuzz binary too.
nonisolated(unsafe) var handle: CurlEasyHandle? = try? CurlEasyHandle()

/// libFuzzer entry point for the HTTP handling we own (libcurl does the wire).
///
/// - URL validation (``HTTPURL``, parsed by libcurl's `curl_url`): an
///   accepted URL is http or https with a host, its redacted form carries no
///   credentials and parses again, and an endpoint name can be made from it.
/// - Header lines as given to `-H` (``HTTPHeader/init(parsing:)``): accepted
///   headers have a token name and a value without CR, LF or NUL, and their
///   wire line parses back to the same header.
/// - The response-header block libcurl hands back
///   (`CurlEasyHandle.responseHeaders()`): every header kept is valid.
/// - Methods, and the redaction helpers used on messages.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)

    if let url = try? HTTPURL(text) {
        precondition(url.scheme == "http" || url.scheme == "https")
        precondition(!url.host.isEmpty)
        precondition(url.description == url.redacted)
        // On bytes: "/" followed by a combining mark is one Character.
        precondition(
            url.pathAndQuery.utf8.first == UInt8(ascii: "/"),
            "\(text.debugDescription): host \(url.host.debugDescription), path \(url.pathAndQuery.debugDescription)")
        do {
            let shown = try HTTPURL(url.redacted)
            // What curl reads back as credentials must not be the real ones: an
            // IPv6 zone id may hold an "@" ("[::1a%40ss@[::1]" is a host), so
            // the rebuilt URL can show a user part made of the host.
            precondition(
                Set(shown.secrets).isDisjoint(with: url.secrets),
                "redacted URL keeps credentials: \(url.redacted.debugDescription)")
            // Host, port and path are not compared: curl's rebuilt URL does
            // not always parse back to the same parts ("https:/%312/" has
            // host "12", and "https://12/" then reads as 0.0.0.12).
            precondition(shown.scheme == url.scheme)
        } catch {
            preconditionFailure("the redacted URL does not parse: \(error)")
        }
        _ = url.authority
        _ = HTTPRequest(method: .get, url: url).endpointName
    } else {
        _ = HTTPURL.scrubCredentials(text)
    }

    if let header = try? HTTPHeader(parsing: text) {
        precondition(header.name.utf8.allSatisfy(HTTPHeader.isTokenByte))
        precondition(!header.value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 })
        precondition(!header.value.isEmpty)
        if header.isSensitive { precondition(header.description == "\(header.name): ***") }
        // The value is not compared: trimming works on Characters, and a value
        // starting with a combining mark joins the space after the colon.
        let again = try? HTTPHeader(parsing: header.wireLine)
        precondition(again?.name == header.name, "wire line \(header.wireLine.debugDescription) parses differently")
    }
    _ = HTTPHeader.redact(text)
    _ = try? HTTPMethod(parsing: text)
    _ = Redaction.redactURL(text)
    _ = Redaction.redactHeader(text)

    if let handle {
        handle.headerBytes.removeAll(keepingCapacity: true)
        handle.headerBytes.append(contentsOf: bytes)
        for header in handle.responseHeaders() {
            precondition(!header.name.isEmpty && header.name.utf8.allSatisfy(HTTPHeader.isTokenByte))
            precondition(!header.value.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 })
        }
    }
    return 0
}

/// SwiftPM links executable targets with `main` aliased to `<Target>_main`,
/// which would shadow libFuzzer's own `main`; so this entry point hands
/// control to libFuzzer's driver explicitly.
@_cdecl("FuzzHTTP_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzHTTP)
}
