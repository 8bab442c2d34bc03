/// One route of a service: an optional method and a path template.
///
/// A template's path is made of `/`-separated segments, each either literal
/// (`runs`), a parameter taking one segment (`{job_id}`), or a path parameter
/// taking the rest of the path, `/` included (`{model_id:path}`, as Starlette
/// and FastAPI spell it). A path parameter is only allowed as the last segment.
///
///     GET /api/runs/{job_id}
///     /api/models/{model_id:path}      (any method)
///
/// The endpoint name of a matched request is ``endpointName``:
/// `GET /api/runs/{job_id}` (a path parameter is shown as `{model_id}`, the
/// form OpenAPI documents and OpenTelemetry's `http.route` use).
public struct RouteTemplate: Sendable, Hashable, Codable {
    /// One segment of a template's path.
    public enum Segment: Sendable, Hashable, Codable {
        case literal(String)
        case parameter(String)
        case pathParameter(String)
    }

    /// Longest accepted template, in bytes.
    public static let maxBytes = 2048
    /// Most segments in one template.
    public static let maxSegments = 64

    /// The uppercased method, or nil when the route answers any method.
    public let method: String?
    public let segments: [Segment]

    public init(method: String?, segments: [Segment]) {
        self.method = method
        self.segments = segments
    }

    /// Parses `[METHOD ]/path/{param}/{rest:path}`.
    ///
    /// - Parameter pathParameters: names of `{param}` parameters to treat as
    ///   `{param:path}` (FastAPI's OpenAPI document drops the `:path`).
    /// - Throws: ``RouteSourceError`` naming what is wrong.
    public init(parsing text: String, pathParameters: Set<String> = []) throws(RouteSourceError) {
        let trimmed = text.trimmingASCIIWhitespace()
        guard trimmed.utf8.count <= Self.maxBytes else {
            throw RouteSourceError("template is longer than \(Self.maxBytes) bytes")
        }
        var method: String?
        var path = Substring(trimmed)
        if let space = trimmed.firstIndex(where: { $0 == " " || $0 == "\t" }) {
            let word = trimmed[..<space]
            method = try Self.method(word)
            path = trimmed[space...].drop { $0 == " " || $0 == "\t" }
        }
        guard path.hasPrefix("/") else {
            throw RouteSourceError(
                "expected a path starting with '/' (\"[METHOD] /path/{param}\"), got \"\(Self.clip(String(path)))\"")
        }
        if path.contains(where: { $0 == " " || $0 == "\t" || $0 == "?" || $0 == "#" }) {
            throw RouteSourceError("a template path holds no spaces, '?' or '#': \"\(Self.clip(String(path)))\"")
        }
        var segments: [Segment] = []
        var names: Set<String> = []
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        // "/" alone is the root: no segments.
        let pieces = parts.count == 1 && parts[0].isEmpty ? [] : parts
        guard pieces.count <= Self.maxSegments else {
            throw RouteSourceError("template has more than \(Self.maxSegments) segments")
        }
        for (position, piece) in pieces.enumerated() {
            if let last = segments.last, case .pathParameter(let name) = last {
                throw RouteSourceError("path parameter {\(name):path} must be the last segment")
            }
            if piece.hasPrefix("{") || piece.hasSuffix("}") || piece.contains("{") || piece.contains("}") {
                guard piece.hasPrefix("{"), piece.hasSuffix("}"), piece.count >= 3 else {
                    throw RouteSourceError(
                        "segment \(position + 1) \"\(Self.clip(String(piece)))\" must be a whole {parameter}")
                }
                let inner = piece.dropFirst().dropLast()
                var name = inner
                var isPath = false
                if let colon = inner.firstIndex(of: ":") {
                    name = inner[..<colon]
                    let converter = inner[inner.index(after: colon)...]
                    switch converter {
                    case "path": isPath = true
                    case "int", "str", "float", "uuid": isPath = false
                    default:
                        throw RouteSourceError(
                            "unknown converter \":\(Self.clip(String(converter)))\" in {\(Self.clip(String(inner)))} (expected :path, :str, :int, :float or :uuid)"
                        )
                    }
                }
                guard !name.isEmpty, name.utf8.allSatisfy(Self.isNameByte) else {
                    throw RouteSourceError(
                        "bad parameter name in \"\(Self.clip(String(piece)))\" (letters, digits, '_', '-', '.')")
                }
                let text = String(name)
                guard names.insert(text).inserted else {
                    throw RouteSourceError("parameter {\(text)} appears twice")
                }
                if isPath || pathParameters.contains(text) {
                    segments.append(.pathParameter(text))
                } else {
                    segments.append(.parameter(text))
                }
            } else {
                segments.append(.literal(String(piece)))
            }
        }
        self.init(method: method, segments: segments)
    }

    /// The path with parameters as `{name}` (path parameters too): the form endpoint names use.
    public var path: String {
        self.render(showPath: false)
    }

    /// The path as a template file would give it: `{name:path}` for path parameters.
    public var declaredPath: String {
        self.render(showPath: true)
    }

    /// `GET /api/runs/{job_id}`, or the path alone for an any-method route.
    public var endpointName: String {
        if let method { return method + " " + self.path }
        return self.path
    }

    /// `GET /api/models/{model_id:path}`: the line of a plain template file.
    public var declaration: String {
        if let method { return method + " " + self.declaredPath }
        return self.declaredPath
    }

    func render(showPath: Bool) -> String {
        if self.segments.isEmpty { return "/" }
        var out = ""
        for segment in self.segments {
            out += "/"
            switch segment {
            case .literal(let text): out += text
            case .parameter(let name): out += "{" + name + "}"
            case .pathParameter(let name): out += showPath ? "{" + name + ":path}" : "{" + name + "}"
            }
        }
        return out
    }

    /// Checks and uppercases an HTTP method token (ASCII letters, at most 16).
    public static func method(_ word: some StringProtocol) throws(RouteSourceError) -> String {
        guard !word.isEmpty, word.utf8.count <= 16, word.utf8.allSatisfy(EndpointNormalizer.isASCIILetter) else {
            throw RouteSourceError("bad method \"\(Self.clip(String(word)))\" (expected a word such as GET or POST)")
        }
        return word.uppercased()
    }

    @inline(__always)
    static func isNameByte(_ byte: UInt8) -> Bool {
        EndpointNormalizer.isASCIILetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    /// A value as a route source's error quotes it.
    static func clip(_ text: String) -> String { text.clipped(to: 60) }
}
