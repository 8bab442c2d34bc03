internal import CCurl

/// Owns one libcurl easy handle, its error buffer, header list and the state
/// its callbacks fill in during a transfer.
///
/// Intentionally not thread-safe: an easy handle is used by one worker thread
/// at a time, as libcurl requires.
/// - SeeAlso: https://curl.se/libcurl/c/libcurl-easy.html
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    /// `CURLOPT_ERRORBUFFER` memory, owned here for the handle's whole life:
    /// "The buffer must be at least CURL_ERROR_SIZE bytes big" and must stay
    /// valid as long as the handle may write to it.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The request header list; libcurl does not copy it, so it must outlive
    /// the transfer ("The linked list should be a fully valid list of
    /// 'struct curl_slist' structs properly filled in", CURLOPT_HTTPHEADER).
    private var headerList: UnsafeMutablePointer<curl_slist>?

    // Transfer state written by the C callbacks.
    /// Whether the body is kept (the pool) or only counted (bench).
    var storesBody = true
    /// Bound on header + body bytes, enforced in the callbacks.
    var maxResponseBytes = 64 << 20
    private(set) var receivedBytes = 0
    private(set) var exceededLimit = false
    var body: [UInt8] = []
    var headerBytes: [UInt8] = []
    /// Monotonic time when the transfer was handed to the multi handle.
    var addedNanoseconds: UInt64 = 0
    /// Monotonic time when libcurl had a connection ready (PREREQFUNCTION).
    private(set) var prereqNanoseconds: UInt64 = 0
    /// Free slot for the owner (bench: target index, scheduled time).
    var tag = 0
    var dueNanoseconds: UInt64 = 0
    /// Free flag for the owner (bench: the transfer counts in the measured results).
    var isMeasured = false
    /// Secrets to scrub from this transfer's error messages.
    var secrets: [String] = []

    /// - Throws: ``CurlError`` if libcurl cannot allocate the handle.
    init() throws(CurlError) {
        try CurlGlobal.ensureInitialized()
        // curl_easy_init imports as an implicitly unwrapped optional: NULL on failure.
        guard let handle = peft_curl_easy_init() else {
            throw CurlError(code: 0, interface: .easy, message: "curl_easy_init returned NULL")
        }
        self.raw = handle
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        let me = Unmanaged.passUnretained(self).toOpaque()
        // The callbacks receive `self` unretained: this object owns the curl
        // handle, so libcurl can never call them after `deinit`.
        _ = peft_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(self.errorBuffer))
        _ = peft_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, curlWriteBody)
        _ = peft_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, me)
        _ = peft_curl_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader)
        _ = peft_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, me)
        _ = peft_curl_easy_setopt_prereq_function(handle, curlPrereq)
        _ = peft_curl_easy_setopt_pointer(handle, CURLOPT_PREREQDATA, me)
        _ = peft_curl_easy_setopt_pointer(handle, CURLOPT_PRIVATE, me)
        _ = peft_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
    }

    deinit {
        // curl_easy_cleanup first: libcurl may still reference the header
        // list and error buffer until the handle is gone.
        peft_curl_easy_cleanup(self.raw)
        if let list = self.headerList { peft_curl_slist_free_all(list) }
        self.errorBuffer.deallocate()
    }

    /// The handle that owns a raw easy pointer, via `CURLINFO_PRIVATE`.
    static func owner(of raw: UnsafeMutableRawPointer) -> CurlEasyHandle? {
        var pointer: UnsafeMutableRawPointer? = nil
        guard peft_curl_easy_getinfo_pointer(raw, CURLINFO_PRIVATE, &pointer) == CURLE_OK, let pointer else {
            return nil
        }
        return Unmanaged<CurlEasyHandle>.fromOpaque(pointer).takeUnretainedValue()
    }

    // MARK: Options

    func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
        try self.check(peft_curl_easy_setopt_long(self.raw, option, value))
    }

    func set(_ option: CURLoption, _ value: String?) throws(CurlError) {
        // libcurl copies string options (except POSTFIELDS), so a temporary C string is enough.
        let rc: CURLcode
        if let value {
            rc = value.withCString { peft_curl_easy_setopt_string(self.raw, option, $0) }
        } else {
            rc = peft_curl_easy_setopt_string(self.raw, option, nil)
        }
        try self.check(rc)
    }

    private func check(_ rc: CURLcode) throws(CurlError) {
        guard rc == CURLE_OK else { throw CurlError(easyCode: rc, errorBuffer: nil) }
    }

    /// Applies the options that stay the same for every request of a client.
    func configure(_ options: HTTPClientOptions, share: CurlShareHandle?) throws(CurlError) {
        if let share { try self.check(peft_curl_easy_setopt_share(self.raw, share.raw)) }
        // Only http and https, for the first request and for redirects.
        try self.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try self.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try self.set(CURLOPT_FOLLOWLOCATION, options.followRedirects ? 1 : 0)
        try self.set(CURLOPT_MAXREDIRS, 10)
        // An empty proxy string "will explicitly disable the use of a proxy,
        // even if there is an environment variable set for it" (CURLOPT_PROXY).
        try self.set(CURLOPT_PROXY, options.proxy ?? "")
        try self.set(CURLOPT_SSL_VERIFYPEER, options.insecure ? 0 : 1)
        try self.set(CURLOPT_SSL_VERIFYHOST, options.insecure ? 0 : 2)
        if let ca = options.caCertificatePath { try self.set(CURLOPT_CAINFO, ca) }
        try self.set(CURLOPT_DNS_CACHE_TIMEOUT, options.dnsCacheSeconds)
        try self.set(CURLOPT_TIMEOUT_MS, TimeArithmetic.milliseconds(options.timeoutSeconds))
        try self.set(CURLOPT_USERAGENT, options.userAgent)
        try self.set(CURLOPT_TCP_NODELAY, 1)
        self.maxResponseBytes = options.maxResponseBytes
        try self.setVersion(options.version, scheme: nil)
    }

    /// Sets `CURLOPT_HTTP_VERSION` for a preference and a URL scheme.
    func setVersion(_ version: HTTPClientOptions.Version, scheme: String?) throws(CurlError) {
        let value: Int
        switch version {
        case .automatic: value = Int(CURL_HTTP_VERSION_2TLS)
        case .http1_1: value = Int(CURL_HTTP_VERSION_1_1)
        case .http2: value = scheme == "http" ? Int(CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE) : Int(CURL_HTTP_VERSION_2TLS)
        }
        try self.set(CURLOPT_HTTP_VERSION, value)
    }

    /// Sets URL, method, headers, body and timeout for the next transfer.
    func prepare(_ request: HTTPRequest, options: HTTPClientOptions) throws(CurlError) {
        try self.set(CURLOPT_URL, request.url.absoluteString)
        self.secrets = request.url.secrets + request.headers.filter(\.isSensitive).map(\.value)
        if options.version == .http2 { try self.setVersion(.http2, scheme: request.url.scheme) }
        switch request.method {
        case .get:
            try self.set(CURLOPT_HTTPGET, 1)
        case .post:
            try self.set(CURLOPT_POST, 1)
        case .put, .delete:
            try self.set(CURLOPT_HTTPGET, 1)
        }
        if let body = request.body {
            try self.check(peft_curl_easy_setopt_off_t(self.raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            // COPYPOSTFIELDS: libcurl copies the data (plain POSTFIELDS would not),
            // and it switches the request to POST.
            let rc = body.withUnsafeBufferPointer { buffer -> CURLcode in
                let base = buffer.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                // An empty array may have no base address; libcurl needs a valid pointer.
                var empty: UInt8 = 0
                return base.map { peft_curl_easy_setopt_pointer(self.raw, CURLOPT_COPYPOSTFIELDS, $0) }
                    ?? peft_curl_easy_setopt_pointer(self.raw, CURLOPT_COPYPOSTFIELDS, &empty)
            }
            try self.check(rc)
        }
        // CUSTOMREQUEST only changes the method word; nil restores the default.
        // A body turns the request into a POST, so GET with a body needs it too.
        let custom =
            request.method == .put || request.method == .delete || (request.method == .get && request.body != nil)
        try self.set(CURLOPT_CUSTOMREQUEST, custom ? request.method.rawValue : nil)
        // "Expect:" with no value stops libcurl from sending Expect: 100-continue.
        try self.setHeaders(request.headers.map(\.wireLine) + (request.body == nil ? [] : ["Expect:"]))
        if let timeout = request.timeoutSeconds {
            try self.set(CURLOPT_TIMEOUT_MS, TimeArithmetic.milliseconds(timeout))
        }
    }

    /// Replaces the request header list.
    func setHeaders(_ lines: [String]) throws(CurlError) {
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for line in lines {
            guard let appended = peft_curl_slist_append(list, line) else {
                if let list { peft_curl_slist_free_all(list) }
                throw CurlError(
                    code: Int(CURLE_OUT_OF_MEMORY.rawValue), interface: .easy, message: "out of memory building headers"
                )
            }
            list = appended
        }
        let rc = peft_curl_easy_setopt_slist(self.raw, CURLOPT_HTTPHEADER, list)
        // The old list may be freed only once libcurl points at the new one.
        if let old = self.headerList { peft_curl_slist_free_all(old) }
        self.headerList = list
        try self.check(rc)
    }

    /// Clears the state of the previous transfer before the next one.
    @inline(__always)
    func resetTransferState() {
        self.receivedBytes = 0
        self.exceededLimit = false
        self.prereqNanoseconds = 0
        if self.storesBody {
            self.body.removeAll(keepingCapacity: true)
            self.headerBytes.removeAll(keepingCapacity: true)
        }
        self.errorBuffer[0] = 0
    }

    // MARK: Results

    /// A new connection for every request, closed afterwards (the
    /// `--compare-pool` baseline): `CURLOPT_FRESH_CONNECT` and
    /// `CURLOPT_FORBID_REUSE`.
    func useFreshConnections() throws(CurlError) {
        try self.set(CURLOPT_FRESH_CONNECT, 1)
        try self.set(CURLOPT_FORBID_REUSE, 1)
    }

    /// How many new connections the last transfer opened (`CURLINFO_NUM_CONNECTS`).
    var connectionsOpened: Int { self.getLong(CURLINFO_NUM_CONNECTS) }

    /// The last response's status code, 0 when there was none (`CURLINFO_RESPONSE_CODE`).
    var responseStatus: Int { self.getLong(CURLINFO_RESPONSE_CODE) }

    /// Seconds from the start until the transfer began (`CURLINFO_PRETRANSFER_TIME_T`).
    var preTransferSeconds: Double { self.getSeconds(CURLINFO_PRETRANSFER_TIME_T) }

    /// The error for a finished transfer's outcome (see ``error(for:)-(CURLcode)``).
    func error(for outcome: CurlTransferOutcome) -> CurlError { self.error(for: outcome.code) }

    /// How a failed transfer is counted (see ``errorKind(for:)-(CURLcode)``).
    func errorKind(for outcome: CurlTransferOutcome) -> RequestErrorKind { self.errorKind(for: outcome.code) }

    func getLong(_ info: CURLINFO) -> Int {
        var value = 0
        _ = peft_curl_easy_getinfo_long(self.raw, info, &value)
        return value
    }

    /// A `*_TIME_T` info in seconds (libcurl reports microseconds).
    func getSeconds(_ info: CURLINFO) -> Double {
        var value: curl_off_t = 0
        _ = peft_curl_easy_getinfo_off_t(self.raw, info, &value)
        return Double(value) / 1e6
    }

    /// The error for a finished transfer's result code, with the error buffer's
    /// message, secrets scrubbed, and the size bound explained.
    func error(for code: CURLcode) -> CurlError {
        if self.exceededLimit {
            return CurlError(
                code: Int(code.rawValue), interface: .easy,
                message: "response larger than \(self.maxResponseBytes) bytes (--max-response-bytes)", kind: .tooLarge)
        }
        if self.isHeaderLineTooLong(code) {
            return CurlError(
                code: Int(code.rawValue), interface: .easy,
                message: "a response header line is longer than libcurl accepts (100 KiB)", kind: .tooLarge)
        }
        let message = String(cString: self.errorBuffer)
        return CurlError(easyCode: code, errorBuffer: message).redacting(self.secrets)
    }

    /// The report kind of a finished transfer's failure, without building
    /// the whole error (bench counts kinds only).
    func errorKind(for code: CURLcode) -> RequestErrorKind {
        if self.exceededLimit || self.isHeaderLineTooLong(code) { return .tooLarge }
        return CurlError.classify(code, message: String(cString: self.errorBuffer))
    }

    /// libcurl 7.x fails a header line over `CURL_MAX_HTTP_HEADER` (100 KiB)
    /// with `CURLE_OUT_OF_MEMORY`, its buffer's size cap, and an "Out of
    /// memory" message. Once part of the response has arrived, that is what
    /// the code means.
    private func isHeaderLineTooLong(_ code: CURLcode) -> Bool {
        code == CURLE_OUT_OF_MEMORY && self.receivedBytes > 0
    }

    /// Timing breakdown of the finished transfer.
    func timings() -> HTTPTimings {
        let dns = self.getSeconds(CURLINFO_NAMELOOKUP_TIME_T)
        let connect = self.getSeconds(CURLINFO_CONNECT_TIME_T)
        let appConnect = self.getSeconds(CURLINFO_APPCONNECT_TIME_T)
        let preTransfer = self.getSeconds(CURLINFO_PRETRANSFER_TIME_T)
        let startTransfer = self.getSeconds(CURLINFO_STARTTRANSFER_TIME_T)
        let total = self.getSeconds(CURLINFO_TOTAL_TIME_T)
        // DNS, connect and pretransfer count from the moment the transfer left
        // the pending queue; the queue wait is the part of (prereq - added)
        // that they do not explain.
        var queue = 0.0
        if self.prereqNanoseconds > self.addedNanoseconds, self.addedNanoseconds > 0 {
            queue = max(0, Double(self.prereqNanoseconds - self.addedNanoseconds) / 1e9 - preTransfer)
        }
        return HTTPTimings(
            queue: queue,
            dns: dns,
            connect: max(0, connect - dns),
            tls: appConnect > 0 ? max(0, appConnect - connect) : 0,
            firstByte: max(0, startTransfer - preTransfer),
            total: max(total, queue))
    }

    /// The protocol the transfer used.
    func httpVersion() -> HTTPProtocolVersion {
        switch self.getLong(CURLINFO_HTTP_VERSION) {
        case Int(CURL_HTTP_VERSION_1_0): .http1_0
        case Int(CURL_HTTP_VERSION_1_1): .http1_1
        case Int(CURL_HTTP_VERSION_2_0): .http2
        case Int(CURL_HTTP_VERSION_3): .http3
        default: .unknown
        }
    }

    /// The protocol the transfer used, as text.
    func httpVersionName() -> String { self.httpVersion().rawValue }

    /// Headers of the final response (after redirects or 100-continue).
    func responseHeaders() -> [HTTPHeader] {
        var headers: [HTTPHeader] = []
        for rawLine in self.headerBytes.split(separator: UInt8(ascii: "\n")) {
            let line = String(decoding: rawLine, as: UTF8.self).trimmingASCIIWhitespace()
            if line.hasPrefix("HTTP/") {
                headers.removeAll()  // a new response block (redirect, 100 Continue)
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingASCIIWhitespace()
            if let header = try? HTTPHeader(name: name, value: value) { headers.append(header) }
        }
        return headers
    }

    // Called from the C callbacks.
    @inline(__always)
    fileprivate func receive(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int, isHeader: Bool) -> Int {
        let total = self.receivedBytes &+ count
        if total > self.maxResponseBytes {
            // Returning a short count makes libcurl abort with CURLE_WRITE_ERROR;
            // this catches bodies of unknown length that CURLOPT_MAXFILESIZE misses.
            self.exceededLimit = true
            return 0
        }
        self.receivedBytes = total
        if self.storesBody, count > 0, let pointer {
            let bytes = UnsafeRawBufferPointer(start: pointer, count: count)
            if isHeader { self.headerBytes.append(contentsOf: bytes) } else { self.body.append(contentsOf: bytes) }
        }
        return count
    }

    @inline(__always)
    fileprivate func markPrereq() {
        self.prereqNanoseconds = MonotonicClock.nanoseconds()
    }
}

@available(*, unavailable)
extension CurlEasyHandle: Sendable {}

// C callbacks: global closures with no captures; `userdata` is the owning
// CurlEasyHandle, passed unretained.
private let curlWriteBody: peft_curl_write_callback = { pointer, size, count, userData in
    guard let userData else { return 0 }
    let handle = Unmanaged<CurlEasyHandle>.fromOpaque(userData).takeUnretainedValue()
    return handle.receive(pointer, size &* count, isHeader: false)
}

private let curlWriteHeader: peft_curl_write_callback = { pointer, size, count, userData in
    guard let userData else { return 0 }
    let handle = Unmanaged<CurlEasyHandle>.fromOpaque(userData).takeUnretainedValue()
    return handle.receive(pointer, size &* count, isHeader: true)
}

private let curlPrereq: curl_prereq_callback = { userData, _, _, _, _ in
    if let userData {
        Unmanaged<CurlEasyHandle>.fromOpaque(userData).takeUnretainedValue().markPrereq()
    }
    return CURL_PREREQFUNC_OK
}
