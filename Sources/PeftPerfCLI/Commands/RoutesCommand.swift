import PeftPerfCore

extension PeftPerf {
    /// `peft-perf routes [import SOURCE | clear]`: the route templates and
    /// collapsed prefixes requests are named by.
    enum RoutesCommand {
        static func run(_ context: CommandContext) throws -> ExitStatus {
            let options = try Options(arguments: context.arguments, global: context.global)
            let positionals = context.arguments.positionals
            let storePath = try context.global.store
            switch positionals.first {
            case nil:
                let listing = try Self.listing(storePath: storePath, timeout: context.global.timeoutSeconds)
                switch context.global.format {
                case .json: try context.emitJSON(listing, source: .store)
                default: try context.emit(listing.table())
                }
            case "import":
                guard positionals.count == 2 else {
                    throw UsageError("routes import takes one SOURCE (a file or an http(s) URL)")
                }
                let result = try Self.importRoutes(
                    positionals[1], pathParameters: options.pathParameters, storePath: storePath,
                    timeout: context.global.timeoutSeconds)
                switch context.global.format {
                case .json: try context.emitJSON(result, source: .store)
                default:
                    try context.emit(
                        "Imported \(result.templates) route templates from \(result.source); merged \(result.endpointsMerged) recorded endpoints into their routes.\n"
                    )
                }
            case "clear":
                guard positionals.count == 1 else { throw UsageError("routes clear takes no SOURCE") }
                let cleared = try Self.clear(storePath: storePath, timeout: context.global.timeoutSeconds)
                switch context.global.format {
                case .json: try context.emitJSON(cleared, source: .store)
                default:
                    try context.emit(
                        "Cleared \(cleared.templates) route templates and \(cleared.collapsedPrefixes) collapsed prefixes.\n"
                    )
                }
            case let other?:
                throw UsageError("unknown routes action '\(other)' (expected import or clear)")
            }
            return .success
        }

        /// Imports `source` into the store and merges recorded endpoints into their routes.
        static func importRoutes(
            _ source: String, pathParameters: Set<String>, storePath: String, timeout: Double
        ) throws -> ImportResult {
            let templates = try RouteSource.load(source, pathParameters: pathParameters, timeoutSeconds: timeout)
            let shown = RouteSource.shown(source)
            let store = try MonitorStore.openForWriting(path: storePath, busyTimeoutSeconds: timeout)
            try store.install(RouteStore.component)
            let merged = try store.write { db -> Int in
                try RouteStore.save(templates, source: shown, at: WallClock.now(), on: db)
                var grouping = try RouteStore.grouping(in: store)
                return try RouteStore.regroupStoredEndpoints(in: db, grouping: &grouping)
            }
            return ImportResult(source: shown, templates: templates.count, endpointsMerged: merged)
        }

        /// `--routes SOURCE` on record, metrics and bench.
        static func importIfGiven(_ context: CommandContext) throws {
            let options = try Options(arguments: context.arguments, global: context.global)
            guard let source = options.source else { return }
            let result = try Self.importRoutes(
                source, pathParameters: options.pathParameters, storePath: try context.global.store,
                timeout: context.global.timeoutSeconds)
            context.console.note(
                "imported \(result.templates) route templates from \(result.source); merged \(result.endpointsMerged) recorded endpoints"
            )
        }

        static func listing(storePath: String, timeout: Double) throws -> Listing {
            guard let store = try PerformanceStore.openIfExists(at: storePath, busyTimeout: timeout) else {
                return Listing(templates: [], collapsedPrefixes: [])
            }
            return try store.read { _ in
                Listing(
                    templates: try RouteStore.templates(in: store).map {
                        Listing.Template(
                            method: $0.template.method, path: $0.template.declaredPath,
                            endpoint: $0.template.endpointName, source: $0.source)
                    },
                    collapsedPrefixes: try RouteStore.collapsedPrefixes(in: store).map {
                        Listing.Prefix(
                            prefix: $0.prefix, position: $0.position, distinctValues: $0.distinctValues,
                            keptLiterals: $0.keptLiterals)
                    })
            }
        }

        static func clear(storePath: String, timeout: Double) throws -> Cleared {
            guard let store = try PerformanceStore.openIfExists(at: storePath, busyTimeout: timeout) else {
                return Cleared(templates: 0, collapsedPrefixes: 0)
            }
            let cleared = try RouteStore.clear(store)
            return Cleared(templates: cleared.templates, collapsedPrefixes: cleared.collapsedPrefixes)
        }

        static func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A) || byte == 0x5F
                || byte == 0x2D || byte == 0x2E
        }

        struct ImportResult: VersionedReport {
            static let schemaVersion = 1
            var source: String
            var templates: Int
            var endpointsMerged: Int
        }

        struct Cleared: VersionedReport {
            static let schemaVersion = 1
            var templates: Int
            var collapsedPrefixes: Int
        }

        struct Listing: VersionedReport {
            static let schemaVersion = 1
            struct Template: Encodable {
                /// `null` for a template of any method.
                @FiniteOrNull var method: String?
                var path: String
                var endpoint: String
                var source: String
            }

            struct Prefix: Encodable {
                var prefix: String
                var position: Int
                var distinctValues: Int
                var keptLiterals: [String]
            }
            var templates: [Template]
            var collapsedPrefixes: [Prefix]

            func table() -> String {
                var out = ""
                if self.templates.isEmpty {
                    out += "No route templates (import some with 'peft-perf routes import SOURCE').\n"
                } else {
                    var table = TextTable(headers: ["method", "route", "source"])
                    for template in self.templates {
                        table.addRow([template.method ?? "*", template.path, template.source])
                    }
                    out += table.render()
                }
                if !self.collapsedPrefixes.isEmpty {
                    out += "\n"
                    var table = TextTable(headers: ["collapsed prefix", "position", "values", "kept"])
                    for prefix in self.collapsedPrefixes {
                        table.addRow([
                            prefix.prefix + "/:id", String(prefix.position), String(prefix.distinctValues),
                            prefix.keptLiterals.joined(separator: " "),
                        ])
                    }
                    out += table.render()
                } else {
                    out += "No collapsed prefixes.\n"
                }
                return out
            }
        }
    }
}
