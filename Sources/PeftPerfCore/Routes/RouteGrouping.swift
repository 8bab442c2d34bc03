/// Names requests by route: the one entry point every part of peft-perf (and
/// endpoint names read from a running service) uses to turn a request into an
/// endpoint key.
///
/// ```swift
/// var grouping = RouteGrouping(templates: try RouteSource.load("openapi.json"))
/// grouping.endpointName("GET /api/runs/job_20240129_041853_a9d7c0?x=1")  // "GET /api/runs/{job_id}"
/// grouping.endpointName(method: "delete", path: "/api/runs/local_167936") // "DELETE /api/runs/{job_id}"
/// ```
///
/// The key is `METHOD template` (the method is left out when it is unknown;
/// an absolute URL keeps its `scheme://host:port`). It is found in order:
/// 1. The request is normalized (``EndpointNormalizer/normalize(_:)``): query
///    and credentials dropped, id-like segments (numbers, UUIDs, long hex,
///    `job_20240129_041853_a9d7c0`, `preset_4`, …) turned into `:id`.
/// 2. With templates, the ``RouteTrie`` match (concrete segments first, the
///    method part of the route): `GET /api/runs/{job_id}`.
/// 3. Otherwise cardinality grouping: once more than ``cardinality`` distinct
///    values follow the same prefix at the same position, that position is a
///    parameter (`:id`) for the whole prefix (``CollapsedPrefix``); up to
///    ``maxKeptLiterals`` plain words there (`active`) stay literal.
///
/// Not thread-safe (it learns cardinalities); keep one per recorder, behind a
/// lock where needed. Matching is on bytes; callers that see the same raw
/// names again should cache name → key, and drop the cache when
/// ``collapseCount`` changes.
public struct RouteGrouping: Sendable {
    /// Default for `--route-cardinality`.
    public static let defaultCardinality = 50
    /// Plain words kept literal beside a collapsed parameter.
    public static let maxKeptLiterals = 8
    /// Prefixes whose values are counted; past this, new prefixes are not tracked.
    public static let maxTrackedPrefixes = 10_000

    /// One grouped name.
    public struct Grouped: Sendable, Equatable {
        public var name: String
        /// Whether a route template named it (such names are bounded by the templates).
        public var matchedTemplate: Bool
    }

    public private(set) var trie: RouteTrie
    /// Distinct values after a prefix beyond which it collapses.
    public let cardinality: Int
    /// Collapsed prefixes by prefix.
    public private(set) var collapsed: [String: CollapsedPrefix] = [:]
    /// Bumped whenever ``collapsed`` changes (a cache of names must then be dropped).
    public private(set) var collapseCount = 0
    private var seen: [String: Set<String>] = [:]

    public init(
        templates: [RouteTemplate] = [], collapsed: [CollapsedPrefix] = [],
        cardinality: Int = RouteGrouping.defaultCardinality
    ) {
        self.trie = RouteTrie(templates)
        self.cardinality = max(1, cardinality)
        for prefix in collapsed { self.collapsed[prefix.prefix] = prefix }
    }

    /// The templates in use.
    public var templates: [RouteTemplate] { self.trie.templates }

    /// Adds templates (a duplicate is ignored).
    public mutating func add(templates: [RouteTemplate]) {
        guard !templates.isEmpty else { return }
        for template in templates { self.trie.insert(template) }
        self.collapseCount += 1
    }

    /// Adds a collapsed prefix (replacing one for the same prefix).
    public mutating func merge(_ prefix: CollapsedPrefix) {
        guard self.collapsed[prefix.prefix] != prefix else { return }
        self.collapsed[prefix.prefix] = prefix
        self.seen[prefix.prefix] = nil
        self.collapseCount += 1
    }

    /// The collapsed prefixes, sorted by prefix.
    public var collapsedPrefixes: [CollapsedPrefix] {
        self.collapsed.values.sorted { $0.prefix < $1.prefix }
    }

    /// The endpoint key for `raw`: a path, an absolute URL, or either after a
    /// method (`GET /api/runs/42`). Counts the values seen (cardinality).
    public mutating func endpointName(_ raw: String) -> String {
        self.group(raw).name
    }

    /// The endpoint key for a method (nil when unknown) and a path or URL.
    public mutating func endpointName(method: String?, path: String) -> String {
        self.group(method: method, path: path).name
    }

    /// ``endpointName(method:path:)``, telling whether a template named it.
    public mutating func group(method: String?, path: String) -> Grouped {
        guard let method, !method.isEmpty else { return self.group(path) }
        return self.group(method + " " + path)
    }

    /// ``endpointName(_:)``, telling whether a template named it.
    public mutating func group(_ raw: String) -> Grouped {
        self.group(normalized: EndpointNormalizer.normalize(raw), observe: true)
    }

    /// The key for a name already stored (normalized), without counting it:
    /// used to merge stored endpoints into their route.
    public mutating func regroup(stored name: String) -> Grouped {
        self.group(normalized: EndpointNormalizer.normalize(name), observe: false)
    }

    /// Counts a stored name's values (so that cardinality adds up across runs).
    public mutating func observe(stored name: String) {
        _ = self.group(normalized: EndpointNormalizer.normalize(name), observe: true)
    }

    /// The key for a route the emitter knows (`/api/runs/{job_id}`, FastAPI's
    /// `{model_id:path}` shown as `{model_id}`), after `method`.
    public static func routeName(method: String?, route: String) -> String {
        let path =
            (try? RouteTemplate(parsing: route.trimmingASCIIWhitespace()))?.path
            ?? EndpointNormalizer.normalize(route)
        guard let method, !method.isEmpty else { return path }
        return method.uppercased() + " " + path
    }

    mutating func group(normalized: String, observe: Bool) -> Grouped {
        var name = normalized
        return name.withUTF8 { bytes -> Grouped in
            // Normalized: "[METHOD ]" then "[scheme://authority]" then "/path".
            var low = 0
            var methodEnd = -1
            while low < bytes.count, EndpointNormalizer.isASCIILetter(bytes[low]) { low += 1 }
            if low > 0, low < bytes.count, bytes[low] == 0x20 {
                methodEnd = low
                low += 1
            } else {
                low = 0
            }
            let originStart = low
            var pathStart = low
            if let slash = Self.firstIndex(of: UInt8(ascii: "/"), in: bytes, from: low), slash > low,
                slash + 1 < bytes.count, bytes[slash - 1] == UInt8(ascii: ":"), bytes[slash + 1] == UInt8(ascii: "/")
            {
                var end = slash + 2
                while end < bytes.count, bytes[end] != UInt8(ascii: "/") { end += 1 }
                pathStart = end
            }
            let path = UnsafeBufferPointer(rebasing: bytes[pathStart...])
            if !self.trie.isEmpty, !path.isEmpty {
                let method = methodEnd > 0 ? UnsafeBufferPointer(rebasing: bytes[0..<methodEnd]) : nil
                if let template = self.trie.match(method: method, path: path) {
                    let head = String(decoding: bytes[0..<pathStart], as: UTF8.self)
                    return Grouped(name: head + template.path, matchedTemplate: true)
                }
            }
            if self.collapsed.isEmpty, !observe { return Grouped(name: normalized, matchedTemplate: false) }
            let origin = String(decoding: bytes[originStart..<pathStart], as: UTF8.self)
            return self.groupByCardinality(
                head: String(decoding: bytes[0..<pathStart], as: UTF8.self), origin: origin, path: path,
                original: normalized, observe: observe)
        }
    }

    private mutating func groupByCardinality(
        head: String, origin: String, path: UnsafeBufferPointer<UInt8>, original: String, observe: Bool
    ) -> Grouped {
        guard !path.isEmpty, path[0] == UInt8(ascii: "/") else {
            return Grouped(name: original, matchedTemplate: false)
        }
        var prefix = origin
        var changed = false
        var position = 0
        var start = 1
        while start <= path.count {
            var end = start
            while end < path.count, path[end] != UInt8(ascii: "/") { end += 1 }
            let segment = String(decoding: path[start..<end], as: UTF8.self)
            var value = segment
            if segment != EndpointNormalizer.idPlaceholder, !segment.isEmpty {
                if self.collapsed[prefix] != nil {
                    value = self.collapsedValue(segment, at: prefix)
                } else if observe {
                    if self.seen[prefix] != nil || self.seen.count < Self.maxTrackedPrefixes {
                        let count: Int = {
                            self.seen[prefix, default: []].insert(segment)
                            return self.seen[prefix]!.count
                        }()
                        if count > self.cardinality {
                            let values = self.seen.removeValue(forKey: prefix) ?? []
                            let words = values.filter(Self.isPlainWord).sorted().prefix(Self.maxKeptLiterals)
                            self.collapsed[prefix] = CollapsedPrefix(
                                prefix: prefix, position: position, distinctValues: count, keptLiterals: Array(words))
                            self.collapseCount += 1
                            value = self.collapsedValue(segment, at: prefix)
                        }
                    }
                }
            }
            if value != segment { changed = true }
            prefix += "/" + value
            position += 1
            start = end + 1
        }
        guard changed else { return Grouped(name: original, matchedTemplate: false) }
        return Grouped(name: head + String(prefix.dropFirst(origin.count)), matchedTemplate: false)
    }

    /// The value at a collapsed position: a kept word, else `:id`.
    private mutating func collapsedValue(_ segment: String, at prefix: String) -> String {
        guard var entry = self.collapsed[prefix] else { return segment }
        if entry.keptLiterals.contains(segment) { return segment }
        if Self.isPlainWord(segment), entry.keptLiterals.count < Self.maxKeptLiterals {
            entry.keptLiterals.append(segment)
            self.collapsed[prefix] = entry
            self.collapseCount += 1
            return segment
        }
        return EndpointNormalizer.idPlaceholder
    }

    /// Letters, with `-` or `_` between them, at most 40 bytes: `active`, `meta-llama`.
    static func isPlainWord(_ segment: String) -> Bool {
        let bytes = segment.utf8
        guard let first = bytes.first, bytes.count <= 40, EndpointNormalizer.isASCIILetter(first) else { return false }
        return bytes.allSatisfy {
            EndpointNormalizer.isASCIILetter($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
        }
    }

    static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var index = from
        while index < bytes.count {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }
}
