internal import CCurl

/// Process-wide libcurl initialization, done once and lazily.
///
/// `curl_global_init` is not thread-safe and must run before any other
/// libcurl call; a Swift global `let` is initialized exactly once, atomically
/// (swift_once), which gives both guarantees. libcurl itself is loaded with
/// dlopen on the first call (see `CCurl/shim.h`), so commands that never use
/// HTTP do not load it at all.
/// - SeeAlso: https://curl.se/libcurl/c/curl_global_init.html
enum CurlGlobal {
    /// The result of `peft_curl_global_init(CURL_GLOBAL_ALL)`; `CURLE_OK` normally.
    private static let initResult: Int = Int(peft_curl_global_init(Int(CURL_GLOBAL_ALL)).rawValue)

    /// Makes sure libcurl is initialized.
    /// - Throws: ``CurlError`` if `curl_global_init` failed.
    static func ensureInitialized() throws(CurlError) {
        // libcurl is loaded on first use (CCurl/shim.h); say so plainly when
        // it is missing instead of failing on the first handle.
        guard peft_curl_is_loaded() != 0 else {
            throw CurlError(
                code: Int(CURLE_FAILED_INIT.rawValue), interface: .easy,
                message: String(cString: peft_curl_load_error()))
        }
        let code = Self.initResult
        guard code == 0 else {
            throw CurlError(code: code, interface: .easy, message: "curl_global_init failed")
        }
    }

    /// libcurl's version string, e.g. `libcurl/7.88.1 OpenSSL/3.0.19 ...`.
    static var version: String {
        guard let text = peft_curl_version() else { return "unknown" }
        return String(cString: text)
    }
}
