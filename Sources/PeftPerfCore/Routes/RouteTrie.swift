/// Route templates in a trie keyed by path segment, so that matching a path
/// costs O(segments), not O(templates).
///
/// Precedence follows the OpenAPI specification ("concrete paths match before
/// templated ones") rather than declaration order:
/// 1. a literal segment beats a `{parameter}` at the same position, which beats
///    a `{parameter:path}` (that takes the rest of the path);
/// 2. at the end, a template for the request's method beats an any-method one;
/// 3. when the more concrete branch has no route for the rest of the path (or
///    for the method), the next branch is tried.
///
/// Matching reads the path's bytes and allocates nothing.
public struct RouteTrie: Sendable {
    /// Terminal routes of one node: per method, and for any method.
    struct Terminal: Sendable {
        var byMethod: [(method: [UInt8], template: Int)] = []
        var anyMethod: Int?
        /// The path form (no method) of this node's routes, for requests without a method.
        var pathOnly: Int?

        var isEmpty: Bool { self.byMethod.isEmpty && self.anyMethod == nil }
    }

    struct Node: Sendable {
        var literals: [(bytes: [UInt8], node: Int)] = []
        var parameter: Int?
        var end = Terminal()
        /// Routes ending in a path parameter at this position.
        var rest = Terminal()
    }

    private var nodes: [Node] = [Node()]
    /// The templates inserted, deduplicated, in insertion order.
    public private(set) var templates: [RouteTemplate] = []
    /// Every template a match can return: those inserted and their path-only forms.
    private var entries: [RouteTemplate] = []
    private var index: [RouteTemplate: Int] = [:]
    private var inserted: Set<RouteTemplate> = []

    public init() {}

    public init(_ templates: some Sequence<RouteTemplate>) {
        for template in templates { self.insert(template) }
    }

    public var isEmpty: Bool { self.templates.isEmpty }

    /// Adds a template; a duplicate is ignored.
    public mutating func insert(_ template: RouteTemplate) {
        guard self.inserted.insert(template).inserted else { return }
        self.templates.append(template)
        let id = self.add(template)
        var node = 0
        for segment in template.segments {
            switch segment {
            case .literal(let text):
                let bytes = Array(text.utf8)
                if let child = self.nodes[node].literals.first(where: { $0.bytes == bytes })?.node {
                    node = child
                } else {
                    self.nodes.append(Node())
                    self.nodes[node].literals.append((bytes, self.nodes.count - 1))
                    node = self.nodes.count - 1
                }
            case .parameter:
                if let child = self.nodes[node].parameter {
                    node = child
                } else {
                    self.nodes.append(Node())
                    self.nodes[node].parameter = self.nodes.count - 1
                    node = self.nodes.count - 1
                }
            case .pathParameter:
                var terminal = self.nodes[node].rest
                self.place(template, id: id, in: &terminal)
                self.nodes[node].rest = terminal
                return
            }
        }
        var terminal = self.nodes[node].end
        self.place(template, id: id, in: &terminal)
        self.nodes[node].end = terminal
    }

    private mutating func add(_ template: RouteTemplate) -> Int {
        if let known = self.index[template] { return known }
        self.entries.append(template)
        self.index[template] = self.entries.count - 1
        return self.entries.count - 1
    }

    private mutating func place(_ template: RouteTemplate, id: Int, in terminal: inout Terminal) {
        if let method = template.method {
            let bytes = Array(method.utf8)
            if !terminal.byMethod.contains(where: { $0.method == bytes }) { terminal.byMethod.append((bytes, id)) }
        } else if terminal.anyMethod == nil {
            terminal.anyMethod = id
        }
        if terminal.pathOnly == nil {
            // Named for requests without a method; never inserted on its own.
            terminal.pathOnly = self.add(RouteTemplate(method: nil, segments: template.segments))
        }
    }

    /// The template matching `path` (bytes of `/a/b/c`, no query) for `method`
    /// (uppercase ASCII bytes; nil when the request's method is unknown: then
    /// the path-only form of the route is returned).
    public func match(method: UnsafeBufferPointer<UInt8>?, path: UnsafeBufferPointer<UInt8>) -> RouteTemplate? {
        guard !self.templates.isEmpty, !path.isEmpty, path[0] == UInt8(ascii: "/") else { return nil }
        return self.search(node: 0, path: path, from: 1, method: method).map { self.entries[$0] }
    }

    /// String form of ``match(method:path:)``.
    public func match(method: String?, path: String) -> RouteTemplate? {
        var path = path
        var method = method
        return path.withUTF8 { pathBytes in
            if method == nil { return self.match(method: nil, path: pathBytes) }
            return method!.withUTF8 { self.match(method: $0, path: pathBytes) }
        }
    }

    /// Depth-first, most concrete branch first; `from` is the offset of the segment to match.
    private func search(node: Int, path: UnsafeBufferPointer<UInt8>, from: Int, method: UnsafeBufferPointer<UInt8>?)
        -> Int?
    {
        let current = self.nodes[node]
        if from > path.count {
            return Self.pick(current.end, method: method)
        }
        var end = from
        while end < path.count, path[end] != UInt8(ascii: "/") { end += 1 }
        let length = end - from
        for literal in current.literals where literal.bytes.count == length {
            var equal = true
            var offset = 0
            while offset < length {
                if literal.bytes[offset] != path[from + offset] {
                    equal = false
                    break
                }
                offset += 1
            }
            if equal, let found = self.search(node: literal.node, path: path, from: end + 1, method: method) {
                return found
            }
        }
        if length > 0, let parameter = current.parameter,
            let found = self.search(node: parameter, path: path, from: end + 1, method: method)
        {
            return found
        }
        if length > 0, let found = Self.pick(current.rest, method: method) {
            return found
        }
        return nil
    }

    private static func pick(_ terminal: Terminal, method: UnsafeBufferPointer<UInt8>?) -> Int? {
        guard !terminal.isEmpty else { return nil }
        guard let method else { return terminal.anyMethod ?? terminal.pathOnly }
        for entry in terminal.byMethod where entry.method.count == method.count {
            if entry.method.elementsEqual(method) { return entry.template }
        }
        return terminal.anyMethod
    }
}
