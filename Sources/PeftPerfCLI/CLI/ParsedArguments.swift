import PeftPerfCore

/// The options and positional arguments of one invocation, already validated
/// against the command table, with typed accessors.
///
/// The numeric accessors fall back to the default in the command table, so
/// that no command repeats a default; they return nil when an option was not
/// given and its default is not a value (such as `cores`). ``string(_:)``
/// never falls back: a command may need to know that text was not given.
struct ParsedArguments: Sendable {
    /// The options of the command, the globals included, for their defaults.
    private(set) var specs: [OptionSpec] = []

    /// Every option occurrence in command-line order, by long name.
    private(set) var occurrences: [(name: String, value: String?)] = []
    /// Positional arguments, in order.
    private(set) var positionals: [String] = []

    mutating func add(_ name: String, _ value: String?) {
        self.occurrences.append((name, value))
    }

    /// Makes the accessors fall back to the defaults of `specs`.
    mutating func bind(to specs: [OptionSpec]) {
        self.specs = specs
    }

    /// The value given for `name`, else the table's default for it.
    private func valueOrDefault(_ name: String) -> String? {
        self.string(name) ?? self.specs.first { $0.long == name }?.defaultValue
    }

    mutating func addPositional(_ word: String) {
        self.positionals.append(word)
    }

    /// Whether `name` was given at all.
    func has(_ name: String) -> Bool {
        self.occurrences.contains { $0.name == name }
    }

    /// Whether the flag `name` was given.
    func flag(_ name: String) -> Bool { self.has(name) }

    /// The last value of `name`: a non-repeatable option given twice keeps
    /// the last value, which lets scripts override earlier defaults.
    func string(_ name: String) -> String? {
        self.occurrences.last { $0.name == name }?.value
    }

    /// Every value of a repeatable option, in order.
    func strings(_ name: String) -> [String] {
        self.occurrences.compactMap { $0.name == name ? $0.value : nil }
    }

    /// The value of an integer option. Validated while parsing.
    func int(_ name: String) -> Int? {
        self.valueOrDefault(name).flatMap { DecimalNumber.parseInteger($0) }
    }

    /// The value of a duration option, in seconds. Validated while parsing.
    func duration(_ name: String) -> Double? {
        self.valueOrDefault(name).flatMap { try? DurationParser.seconds(from: $0) }
    }

    /// The value of a percentage option, as a fraction. Validated while parsing.
    func percentage(_ name: String) -> Double? {
        self.valueOrDefault(name).flatMap { try? PercentageParser.fraction(from: $0) }
    }
}
