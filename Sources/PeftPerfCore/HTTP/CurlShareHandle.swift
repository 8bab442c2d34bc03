#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
internal import CCurl

/// A libcurl share handle holding the DNS cache and TLS sessions of every
/// worker thread.
///
/// The connection cache is deliberately NOT shared: libcurl 7.88's
/// documentation says sharing connections between concurrent threads is not
/// supported, and upstream has crash reports about it. Each worker keeps its
/// own connections in its own multi handle.
///
/// - SeeAlso: https://curl.se/libcurl/c/CURLSHOPT_SHARE.html
///
/// ## Sendable
/// `@unchecked Sendable` is safe because every access libcurl makes to the
/// shared data goes through the lock functions installed here (one pthread
/// mutex per `curl_lock_data`), which is exactly the contract libcurl documents
/// for using a share handle from several threads; this class itself has no
/// mutable Swift state after `init`. The handle must outlive every easy handle
/// attached to it, which the pool guarantees by joining its workers before
/// releasing it.
final class CurlShareHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    private let locks: UnsafeMutablePointer<pthread_mutex_t>
    private static let lockCount = Int(CURL_LOCK_DATA_LAST.rawValue) + 1

    init() throws(CurlError) {
        try CurlGlobal.ensureInitialized()
        guard let handle = peft_curl_share_init() else {
            throw CurlError(code: 0, interface: .share, message: "curl_share_init returned NULL")
        }
        self.raw = handle
        self.locks = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: Self.lockCount)
        for index in 0..<Self.lockCount {
            (self.locks + index).initialize(to: pthread_mutex_t())
            pthread_mutex_init(self.locks + index, nil)
        }
        var rc = peft_curl_share_setopt_lock_functions(
            handle, curlShareLock, curlShareUnlock, UnsafeMutableRawPointer(self.locks))
        if rc == CURLSHE_OK {
            rc = peft_curl_share_setopt_long(handle, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_DNS.rawValue))
        }
        if rc == CURLSHE_OK {
            rc = peft_curl_share_setopt_long(handle, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
        }
        guard rc == CURLSHE_OK else {
            // Every stored property is initialized at this point, so throwing
            // runs `deinit`, which releases the handle and the locks.
            throw CurlError(shareCode: rc)
        }
    }

    deinit {
        // "curl_share_cleanup ... The share handle must not be in use by any easy handle"
        // (https://curl.se/libcurl/c/curl_share_cleanup.html): the pool joins its
        // workers, which clean up their easy handles, before it lets go of this.
        // Should an easy handle still use it, libcurl keeps the share, and with it
        // the lock functions and their mutexes: leak those rather than free memory
        // libcurl may still lock.
        guard peft_curl_share_cleanup(self.raw) == CURLSHE_OK else {
            assertionFailure("curl_share_cleanup: the share is still in use")
            return
        }
        for index in 0..<Self.lockCount { pthread_mutex_destroy(self.locks + index) }
        self.locks.deinitialize(count: Self.lockCount)
        self.locks.deallocate()
    }
}

// C callbacks are global functions, away from any actor-isolated code (see STYLE.md).
private let curlShareLock: curl_lock_function = { _, data, _, userData in
    guard let userData else { return }
    let locks = userData.assumingMemoryBound(to: pthread_mutex_t.self)
    pthread_mutex_lock(locks + Int(data.rawValue))
}

private let curlShareUnlock: curl_unlock_function = { _, data, userData in
    guard let userData else { return }
    let locks = userData.assumingMemoryBound(to: pthread_mutex_t.self)
    pthread_mutex_unlock(locks + Int(data.rawValue))
}
