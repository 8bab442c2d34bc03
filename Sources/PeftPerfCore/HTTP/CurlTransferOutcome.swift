internal import CCurl

/// How one transfer of a multi handle ended, as libcurl reported it.
///
/// It wraps libcurl's result code so that code outside `HTTP/` (the bench
/// workers) can pass a transfer's outcome to ``CurlEasyHandle`` without
/// naming a C type.
struct CurlTransferOutcome {
    let code: CURLcode

    /// Whether the transfer completed (whatever the HTTP status).
    var succeeded: Bool { self.code == CURLE_OK }
}
