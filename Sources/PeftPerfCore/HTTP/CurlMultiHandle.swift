internal import CCurl

/// Owns one libcurl multi handle and the easy handles added to it.
///
/// Ownership rules from swift-corelibs-foundation's `MultiHandle.swift`: every
/// easy handle is removed before `curl_multi_cleanup`, and completions are
/// drained with `curl_multi_info_read`. Driving is a plain
/// `curl_multi_perform` + `curl_multi_poll` loop on one thread.
///
/// Intentionally not thread-safe, except ``wakeup()``, which libcurl documents
/// as callable from any thread.
/// - SeeAlso: https://curl.se/libcurl/c/libcurl-multi.html
final class CurlMultiHandle {
    let raw: UnsafeMutableRawPointer
    /// Easy handles currently added; kept alive here while libcurl uses them.
    private var added: [ObjectIdentifier: CurlEasyHandle] = [:]

    /// - Parameters:
    ///   - maxTotalConnections: `CURLMOPT_MAX_TOTAL_CONNECTIONS` (0 = unlimited).
    ///   - maxHostConnections: `CURLMOPT_MAX_HOST_CONNECTIONS` (0 = unlimited).
    ///   - multiplex: allow HTTP/2 multiplexing; bench turns it off so that
    ///     `-c N` really means N connections.
    init(maxTotalConnections: Int, maxHostConnections: Int, multiplex: Bool = true) throws(CurlError) {
        try CurlGlobal.ensureInitialized()
        guard let handle = peft_curl_multi_init() else {
            throw CurlError(code: 0, interface: .multi, message: "curl_multi_init returned NULL")
        }
        self.raw = handle
        var rc = peft_curl_multi_setopt_long(handle, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxTotalConnections)
        if rc == CURLM_OK {
            rc = peft_curl_multi_setopt_long(handle, CURLMOPT_MAX_HOST_CONNECTIONS, maxHostConnections)
        }
        // The connection cache keeps up to this many idle connections; keep all of them.
        if rc == CURLM_OK, maxTotalConnections > 0 {
            rc = peft_curl_multi_setopt_long(handle, CURLMOPT_MAXCONNECTS, maxTotalConnections)
        }
        if rc == CURLM_OK {
            rc = peft_curl_multi_setopt_long(
                handle, CURLMOPT_PIPELINING, multiplex ? Int(CURLPIPE_MULTIPLEX) : Int(CURLPIPE_NOTHING))
        }
        guard rc == CURLM_OK else { throw CurlError(multiCode: rc) }
    }

    deinit {
        // "Before calling curl_multi_cleanup, all easy handles must be removed"
        // (https://curl.se/libcurl/c/curl_multi_cleanup.html).
        for handle in self.added.values { peft_curl_multi_remove_handle(self.raw, handle.raw) }
        self.added.removeAll()
        peft_curl_multi_cleanup(self.raw)
    }

    /// Number of easy handles currently added.
    var count: Int { self.added.count }

    /// Starts a transfer. The handle's `addedNanoseconds` is set to now.
    @inline(__always)
    func add(_ easy: CurlEasyHandle) throws(CurlError) {
        easy.resetTransferState()
        easy.addedNanoseconds = MonotonicClock.nanoseconds()
        let rc = peft_curl_multi_add_handle(self.raw, easy.raw)
        guard rc == CURLM_OK else { throw CurlError(multiCode: rc) }
        self.added[ObjectIdentifier(easy)] = easy
    }

    /// Stops a transfer (finished or not); the connection stays cached.
    @inline(__always)
    func remove(_ easy: CurlEasyHandle) {
        guard self.added.removeValue(forKey: ObjectIdentifier(easy)) != nil else { return }
        peft_curl_multi_remove_handle(self.raw, easy.raw)
    }

    /// Runs transfers as far as possible without blocking.
    /// - Returns: the number of transfers still running.
    @discardableResult
    func perform() throws(CurlError) -> Int {
        var running: Int32 = 0
        let rc = peft_curl_multi_perform(self.raw, &running)
        guard rc == CURLM_OK else { throw CurlError(multiCode: rc) }
        return Int(running)
    }

    /// Waits for activity on any transfer, a ``wakeup()``, or the timeout.
    func poll(timeoutMilliseconds: Int) throws(CurlError) {
        let rc = peft_curl_multi_poll(self.raw, nil, 0, Int32(clamping: timeoutMilliseconds), nil)
        guard rc == CURLM_OK else { throw CurlError(multiCode: rc) }
    }

    /// Interrupts a ``poll(timeoutMilliseconds:)`` in progress; safe from any thread.
    func wakeup() {
        _ = peft_curl_multi_wakeup(self.raw)
    }

    /// Calls `body` for each finished transfer with its result code. The
    /// transfer is still added: the caller removes (or re-adds) it.
    @inline(__always)
    func forEachCompleted(_ body: (CurlEasyHandle, CurlTransferOutcome) -> Void) {
        var remaining: Int32 = 0
        while let message = peft_curl_multi_info_read(self.raw, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let raw = message.pointee.easy_handle,
                let easy = CurlEasyHandle.owner(of: raw)
            else { continue }
            body(easy, CurlTransferOutcome(code: message.pointee.data.result))
        }
    }
}

@available(*, unavailable)
extension CurlMultiHandle: Sendable {}
