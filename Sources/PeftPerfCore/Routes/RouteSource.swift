/// Where route templates come from: a file (an OpenAPI JSON document, or one
/// template per line) or an http(s) URL serving an OpenAPI document, fetched
/// through an ``HTTPConnectionPool`` with a timeout.
///
/// The kind is told from the content: a document whose first non-blank byte
/// is `{` is OpenAPI JSON; `openapi:` or `swagger:` at the start is YAML,
/// which is refused; anything else is the plain form (``PlainRouteParser``).
public enum RouteSource {
    /// Largest source read, in bytes.
    public static let maxBytes = OpenAPIRouteParser.maxBytes

    /// Loads and parses `source`.
    ///
    /// - Parameters:
    ///   - pathParameters: OpenAPI parameter names that take several segments.
    ///   - timeoutSeconds: bound on the whole fetch of a URL.
    /// - Throws: ``RouteSourceError`` whose message starts with the source.
    public static func load(
        _ source: String, pathParameters: Set<String> = [], timeoutSeconds: Double = 30
    ) throws(RouteSourceError) -> [RouteTemplate] {
        let shown = Self.shown(source)
        let bytes: [UInt8]
        if let scheme = Self.scheme(of: source) {
            guard scheme == "http" || scheme == "https" else {
                throw RouteSourceError("routes source '\(shown)': only http and https URLs are fetched, not \(scheme)")
            }
            bytes = try Self.fetch(source, shown: shown, timeoutSeconds: timeoutSeconds)
        } else {
            bytes = try Self.readFile(source)
        }
        do {
            return try Self.parse(bytes, pathParameters: pathParameters)
        } catch {
            throw RouteSourceError("routes source '\(shown)': \(error.description)")
        }
    }

    /// Parses a source's bytes, telling OpenAPI JSON from the plain form.
    public static func parse(_ bytes: [UInt8], pathParameters: Set<String> = []) throws(RouteSourceError)
        -> [RouteTemplate]
    {
        if OpenAPIRouteParser.looksLikeJSON(bytes) {
            return try OpenAPIRouteParser.parse(bytes, pathParameters: pathParameters)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RouteSourceError("not valid UTF-8 text")
        }
        let head = text.trimmingASCIIWhitespace().prefix(16)
        if head.hasPrefix("openapi:") || head.hasPrefix("swagger:") || head.hasPrefix("---") {
            throw RouteSourceError(
                "YAML OpenAPI documents are not read; give the JSON form (FastAPI serves it at /openapi.json)")
        }
        return try PlainRouteParser.parse(text, pathParameters: pathParameters)
    }

    /// The lowercased scheme of `scheme://…`, or nil for a path.
    static func scheme(of source: String) -> String? {
        guard let range = source.firstRange(of: "://") else { return nil }
        let scheme = source[..<range.lowerBound]
        guard !scheme.isEmpty, scheme.utf8.allSatisfy(EndpointNormalizer.isSchemeByte) else { return nil }
        return scheme.lowercased()
    }

    /// The source as it may be printed: a URL's credentials as `***`.
    public static func shown(_ source: String) -> String {
        if Self.scheme(of: source) != nil, let url = try? HTTPURL(source) { return url.redacted }
        if let scheme = source.firstRange(of: "://"), let at = source[scheme.upperBound...].firstIndex(of: "@"),
            !source[scheme.upperBound..<at].contains("/")
        {
            return String(source[..<scheme.upperBound]) + "***@" + source[source.index(after: at)...]
        }
        return source
    }

    static func fetch(_ source: String, shown: String, timeoutSeconds: Double) throws(RouteSourceError) -> [UInt8] {
        let url: HTTPURL
        do {
            url = try HTTPURL(source)
        } catch {
            throw RouteSourceError("routes source: \(error.description)")
        }
        var configuration = HTTPPoolConfiguration(workerThreads: 1)
        configuration.monitor = nil
        configuration.client.timeoutSeconds = timeoutSeconds
        configuration.client.maxResponseBytes = Self.maxBytes
        let response: HTTPResponse
        do {
            let pool = try HTTPConnectionPool(configuration: configuration)
            defer { pool.shutdown() }
            response = try pool.send(HTTPRequest(url: url))
        } catch {
            throw RouteSourceError("routes source '\(shown)': \(error)")
        }
        guard (200..<300).contains(response.status) else {
            throw RouteSourceError("routes source '\(shown)': HTTP status \(response.status)")
        }
        return response.body
    }

    static func readFile(_ path: String) throws(RouteSourceError) -> [UInt8] {
        do {
            return try RegularFile.contents(of: path, maxBytes: Self.maxBytes)
        } catch {
            switch error {
            case .missing: throw RouteSourceError("routes source '\(path)' does not exist")
            case .directory: throw RouteSourceError("routes source '\(path)' is a directory, not a file")
            case .notRegular: throw RouteSourceError("routes source '\(path)' is not a regular file")
            case .tooLarge:
                throw RouteSourceError("routes source '\(path)' is larger than \(Self.maxBytes >> 20) MiB")
            case .system(let reason): throw RouteSourceError("cannot read routes source '\(path)': \(reason)")
            }
        }
    }
}
