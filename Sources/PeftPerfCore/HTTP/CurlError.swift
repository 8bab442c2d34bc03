internal import CCurl

/// A libcurl call failed.
///
/// The message comes from the transfer's `CURLOPT_ERRORBUFFER` when libcurl
/// filled it, falling back to `curl_easy_strerror`. libcurl may quote parts
/// of a URL in its messages, so the HTTP layer passes the request's secrets
/// (URL user and password) to ``redacting(_:)`` before an error leaves it.
public struct CurlError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Which libcurl API reported the error.
    public enum Interface: String, Sendable {
        case easy, multi, share, url
    }

    /// The libcurl result code (`CURLcode`, `CURLMcode`, `CURLSHcode` or `CURLUcode`).
    public let code: Int
    /// The API the code belongs to.
    public let interface: Interface
    /// Human-readable reason.
    public let message: String
    /// The classification used in reports.
    public let kind: RequestErrorKind

    init(code: Int, interface: Interface, message: String, kind: RequestErrorKind = .other) {
        self.code = code
        self.interface = interface
        self.message = message
        self.kind = kind
    }

    /// An easy-interface error, classified, with the error buffer's message if any.
    init(easyCode: CURLcode, errorBuffer: String?) {
        let fallback = String(cString: peft_curl_easy_strerror(easyCode))
        let text = (errorBuffer?.isEmpty == false ? errorBuffer : nil) ?? fallback
        self.init(
            code: Int(easyCode.rawValue), interface: .easy, message: text,
            kind: Self.classify(easyCode, message: text))
    }

    init(multiCode: CURLMcode) {
        self.init(
            code: Int(multiCode.rawValue), interface: .multi,
            message: String(cString: peft_curl_multi_strerror(multiCode)))
    }

    init(shareCode: CURLSHcode) {
        self.init(
            code: Int(shareCode.rawValue), interface: .share,
            message: String(cString: peft_curl_share_strerror(shareCode)))
    }

    /// A copy whose message has every occurrence of `secrets` replaced by `***`.
    func redacting(_ secrets: [String]) -> CurlError {
        var text = self.message
        for secret in secrets where !secret.isEmpty {
            text = text.replacingAll(secret, with: "***")
        }
        return CurlError(code: self.code, interface: self.interface, message: text, kind: self.kind)
    }

    public var description: String {
        switch self.interface {
        case .easy: "curl error \(self.code): \(self.message)"
        case .multi: "curl multi error \(self.code): \(self.message)"
        case .share: "curl share error \(self.code): \(self.message)"
        case .url: "invalid URL: \(self.message)"
        }
    }

    /// Whether the server's certificate failed verification: an unknown
    /// issuer (a self-signed certificate without `--cacert`), or a name that
    /// does not match the host.
    public var isCertificateVerificationFailure: Bool {
        self.interface == .easy && self.code == Int(CURLE_PEER_FAILED_VERIFICATION.rawValue)
    }

    /// `CURLE_TOO_LARGE`, added in libcurl 8.6 for oversized response
    /// headers; older versions report those as `CURLE_RECV_ERROR` or
    /// `CURLE_OUT_OF_MEMORY` (see ``CurlEasyHandle/errorKind(for:)``).
    static let tooLargeCode: UInt32 = 100

    /// Maps a transfer's result code and error-buffer message to a report kind.
    ///
    /// libcurl 7.x reports several protocol problems with the same code as a
    /// lost connection (`CURLE_RECV_ERROR`); only the message tells them
    /// apart ("Too large response headers: …", "… in chunked-encoding").
    static func classify(_ code: CURLcode, message: String) -> RequestErrorKind {
        if code.rawValue == Self.tooLargeCode { return .tooLarge }
        if code == CURLE_RECV_ERROR {
            if message.contains("Too large response headers") { return .tooLarge }
            if message.contains("chunked-encoding") { return .protocol }
        }
        return Self.classify(code)
    }

    /// Maps a transfer's result code to a report kind.
    static func classify(_ code: CURLcode) -> RequestErrorKind {
        switch code {
        case CURLE_WEIRD_SERVER_REPLY, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_CONTENT_ENCODING:
            // A malformed status line or header, an HTTP/0.9 reply, a body
            // that does not decode.
            return .protocol
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .connect
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
            CURLE_HTTP2_STREAM:
            return .reset
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
            CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
            CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT:
            return .tls
        default:
            return .other
        }
    }
}

extension String {
    /// Replaces every occurrence of `target` (non-empty) without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
