#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads the route templates of an OpenAPI 3 document (JSON), such as the
/// `/openapi.json` every FastAPI app serves.
///
/// Each operation (`get`, `post`, … under a path) becomes a template with that
/// method. The path part of each `servers` URL (`/v1` in
/// `https://api.example.com/v1`, variables replaced by their defaults) is put
/// in front of every path; a Swagger 2 document's `basePath` likewise.
///
/// OpenAPI has no multi-segment parameters, and FastAPI publishes
/// `{model_id:path}` as `{model_id}`: name such parameters in
/// `pathParameters` (`--path-param model_id`).
///
/// YAML documents are not read: parsing YAML is not trivial, and FastAPI
/// serves JSON. A YAML document is refused with a message saying so.
public enum OpenAPIRouteParser {
    /// Largest document read, in bytes.
    public static let maxBytes = 32 << 20
    /// Most operations read from one document.
    public static let maxOperations = 100_000

    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Whether `bytes` look like a JSON document (first non-blank byte `{`).
    public static func looksLikeJSON(_ bytes: [UInt8]) -> Bool {
        var index = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        while index < bytes.count, EndpointNormalizer.isTrimmed(bytes[index]) { index += 1 }
        return index < bytes.count && (bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "["))
    }

    /// Parses the document.
    ///
    /// - Throws: ``RouteSourceError`` for malformed JSON, a document that is
    ///   not OpenAPI, or a path that is not a valid template.
    public static func parse(_ bytes: [UInt8], pathParameters: Set<String> = []) throws(RouteSourceError)
        -> [RouteTemplate]
    {
        guard bytes.count <= Self.maxBytes else {
            throw RouteSourceError("document is larger than \(Self.maxBytes >> 20) MiB")
        }
        var data = Data(bytes)
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { data = Data(bytes.dropFirst(3)) }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch let error as RouteSourceError {
            throw error
        } catch let DecodingError.typeMismatch(_, context) {
            throw RouteSourceError("not an OpenAPI document: \(Self.describe(context))")
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw RouteSourceError("malformed JSON")
        } catch let DecodingError.dataCorrupted(context) {
            throw RouteSourceError("not an OpenAPI document: \(Self.describe(context))")
        } catch {
            throw RouteSourceError("not an OpenAPI document")
        }
        guard document.openapi != nil || document.swagger != nil else {
            throw RouteSourceError("not an OpenAPI document (no \"openapi\" version field)")
        }
        guard let paths = document.paths else {
            throw RouteSourceError("not an OpenAPI document (no \"paths\" object)")
        }
        var prefixes: [String] = []
        if document.openapi != nil {
            for server in document.servers ?? [] {
                let prefix = try Self.pathPrefix(of: server)
                if !prefixes.contains(prefix) { prefixes.append(prefix) }
            }
        } else if let basePath = document.basePath {
            prefixes.append(Self.trimmedPrefix(basePath))
        }
        if prefixes.isEmpty { prefixes = [""] }
        var templates: [RouteTemplate] = []
        for (path, item) in paths.sorted(by: { $0.key < $1.key }) {
            for method in item.methods.sorted() {
                for prefix in prefixes {
                    guard templates.count < Self.maxOperations else {
                        throw RouteSourceError("document has more than \(Self.maxOperations) operations")
                    }
                    do {
                        templates.append(
                            try RouteTemplate(
                                parsing: method.uppercased() + " " + prefix + path, pathParameters: pathParameters))
                    } catch {
                        throw RouteSourceError("path \"\(RouteTemplate.clip(path))\": \(error.description)")
                    }
                }
            }
        }
        return templates
    }

    static func describe(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return path.isEmpty ? "the top level is not an object" : "\"\(RouteTemplate.clip(path))\" has the wrong type"
    }

    /// The path of a server URL, variables replaced by their defaults, without a trailing `/`.
    static func pathPrefix(of server: Server) throws(RouteSourceError) -> String {
        var url = server.url
        for (name, variable) in server.variables ?? [:] {
            url = url.replacing("{\(name)}", with: variable.default ?? "")
        }
        var path = Substring(url)
        if let scheme = url.firstRange(of: "://") {
            let afterScheme = url[scheme.upperBound...]
            path = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? ""
        }
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        if path.contains("{") || path.contains("}") {
            throw RouteSourceError("server URL \"\(RouteTemplate.clip(server.url))\" has a variable without a default")
        }
        return Self.trimmedPrefix(String(path))
    }

    static func trimmedPrefix(_ path: String) -> String {
        var out = Substring(path)
        while out.hasSuffix("/") { out = out.dropLast() }
        if !out.isEmpty, !out.hasPrefix("/") { return "/" + out }
        return String(out)
    }

    struct Document: Decodable {
        var openapi: String?
        var swagger: String?
        var servers: [Server]?
        var basePath: String?
        var paths: [String: PathItem]?
    }

    struct Server: Decodable {
        var url: String
        var variables: [String: Variable]?
    }

    struct Variable: Decodable {
        var `default`: String?
    }

    /// The operations under one path: only which methods are present is kept.
    struct PathItem: Decodable {
        var methods: [String] = []

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            for key in container.allKeys where OpenAPIRouteParser.methods.contains(key.stringValue.lowercased()) {
                self.methods.append(key.stringValue.lowercased())
            }
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
