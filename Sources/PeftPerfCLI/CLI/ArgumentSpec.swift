/// A positional argument of a command, such as `record [FILE]`.
struct ArgumentSpec: Sendable {
    /// Placeholder shown in help, such as `FILE`.
    let name: String
    let help: String
    /// Whether it may be left out.
    let optional: Bool
    /// Whether several may be given.
    let variadic: Bool
    /// How completions offer it.
    let kind: ValueKind
}
