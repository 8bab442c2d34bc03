/// Transfer settings shared by the pool and `bench`.
public struct HTTPClientOptions: Sendable, Equatable {
    /// Which HTTP version to ask for.
    public enum Version: String, Sendable, Equatable {
        /// libcurl's default: HTTP/2 over TLS when the server offers it, HTTP/1.1 otherwise.
        case automatic
        /// HTTP/1.1 only (`--http1.1`).
        case http1_1
        /// HTTP/2 (`--http2`): negotiated over TLS, prior knowledge over plain http.
        case http2
    }

    /// Per-request timeout in seconds (default 30; 0 means none).
    public var timeoutSeconds: Double = 30
    /// How long resolved names stay cached, in seconds (default 300).
    public var dnsCacheSeconds: Int = 300
    /// Proxy URL. Without one, `http_proxy`/`https_proxy`/`all_proxy` are ignored.
    public var proxy: String? = nil
    /// PEM file of trusted certificates (`--cacert`).
    public var caCertificatePath: String? = nil
    /// Disables TLS verification (`--insecure`): explicit opt-in only.
    public var insecure: Bool = false
    /// HTTP version preference.
    public var version: Version = .automatic
    /// Largest response (headers and body) accepted, in bytes (default 64 MiB).
    public var maxResponseBytes: Int = 64 << 20
    /// Whether to follow redirects (http and https only, at most 10).
    public var followRedirects: Bool = false
    /// The User-Agent header, unless the request sets one.
    public var userAgent: String = "peft-perf"

    public init() {}
}
