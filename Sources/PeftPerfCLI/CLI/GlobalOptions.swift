import PeftPerfCore

/// The options every command shares, resolved against the environment.
///
/// Precedence: the command line, then the environment, then the default.
struct GlobalOptions: Sendable {
    /// The application's database (`--db`, `PEFT_PERF_DB`).
    let db: String?
    /// peft-perf's own store (`--store`, `PEFT_PERF_STORE`, XDG default), or
    /// why there is no safe default (``StoreLocation``): only commands that use
    /// the store fail then.
    let storeLocation: Result<String, UsageError>
    /// Target URLs (`--url`, `PEFT_PERF_URLS`).
    let urls: [String]
    let format: OutputFormat
    /// Whether stdout output may be coloured.
    let useColor: Bool
    let noCache: Bool
    let timeoutSeconds: Double
    let verbosity: Console.Verbosity
    let outputPath: String?
    /// The base URL of a running service's performance API (`--api`, else
    /// `PEFT_PERF_API`); nil for the local store.
    let api: String?
    /// Whether `--api` was on the command line: a command that changes the
    /// service (`cache clear`) acts on one only then, never from the environment.
    let apiOnCommandLine: Bool
    /// `--api-header` lines, for the API only; never printed or stored.
    let apiHeaders: [String]

    /// The commands that read a service's performance API with `--api`.
    static let apiCommands: Set<String> = [
        "metrics", "cache stats", "cache clear", "db stats", "db slow", "system", "recommend", "bench",
    ]

    /// Resolves the global options of `arguments` for `command`.
    ///
    /// - Throws: ``UsageError`` for a format the command does not support or a
    ///   bad value in the environment.
    init(arguments: ParsedArguments, command: CommandSpec, environment: [String: String], stdoutIsTerminal: Bool)
        throws
    {
        func env(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        self.db = arguments.string("db") ?? env("PEFT_PERF_DB")
        if let store = arguments.string("store") ?? env("PEFT_PERF_STORE") {
            self.storeLocation = .success(store)
        } else {
            self.storeLocation = Result { () throws(StoreLocationError) in
                try StoreLocation.defaultPath(environment: environment)
            }
            .mapError { UsageError("\($0)") }
        }

        var urls = arguments.strings("url")
        if urls.isEmpty, let list = env("PEFT_PERF_URLS") {
            urls = list.split(separator: ",").map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
            for url in urls {
                if let problem = ValueKind.url.problem(with: url) {
                    throw UsageError("invalid URL '\(url)' in PEFT_PERF_URLS: \(problem)")
                }
            }
        }
        self.urls = urls

        // --format and --json: the last one given wins.
        var format = OutputFormat.table
        for occurrence in arguments.occurrences {
            if occurrence.name == "json" { format = .json }
            if occurrence.name == "format", let value = occurrence.value, let f = OutputFormat(rawValue: value) {
                format = f
            }
        }
        guard command.formats.contains(format) else {
            throw UsageError(
                "'\(command.name)' does not support --format \(format.rawValue)",
                hint: "it supports: \(command.formats.map(\.rawValue).joined(separator: ", "))")
        }
        self.format = format

        switch arguments.string("color") ?? "auto" {
        case "always": self.useColor = true
        case "never": self.useColor = false
        default:
            self.useColor =
                stdoutIsTerminal && env("NO_COLOR") == nil && environment["TERM"] != "dumb"
        }
        self.noCache = arguments.flag("no-cache")
        self.timeoutSeconds = arguments.duration("timeout") ?? 0
        // -q and -v: the last one given wins, like every other repeat.
        var verbosity = Console.Verbosity.normal
        for occurrence in arguments.occurrences {
            if occurrence.name == "quiet" { verbosity = .quiet }
            if occurrence.name == "verbose" { verbosity = .verbose }
        }
        self.verbosity = verbosity
        self.outputPath = arguments.string("output")
        self.apiOnCommandLine = arguments.string("api") != nil
        if self.apiOnCommandLine || arguments.has("api-header"), !Self.apiCommands.contains(command.name) {
            throw UsageError(
                "'\(command.name)' does not read a service's API: --api and --api-header are not for it",
                hint: "they work with: \(Self.apiCommands.sorted().joined(separator: ", "))")
        }
        if let api = arguments.string("api") {
            self.api = api
        } else if let api = env("PEFT_PERF_API") {
            if let problem = ValueKind.url.problem(with: api) {
                throw UsageError("invalid URL in PEFT_PERF_API: \(problem)")
            }
            self.api = api
        } else {
            self.api = nil
        }
        self.apiHeaders = arguments.strings("api-header")
    }

    /// The store's path.
    ///
    /// - Throws: ``UsageError`` (exit 2) when no store was named and there is no
    ///   safe default: no home directory at all, or a default store directory
    ///   that belongs to another user.
    var store: String {
        get throws(UsageError) { try self.storeLocation.get() }
    }
}
