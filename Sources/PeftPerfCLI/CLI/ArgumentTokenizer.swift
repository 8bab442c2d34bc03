/// Splits one command-line argument into the shape the parser needs.
///
/// Kept apart from the parser, as swift-argument-parser's `SplitArguments`
/// is: the tokenizer knows spelling, the parser knows meaning.
enum ArgumentTokenizer {
    /// One argument, classified.
    enum Token: Equatable, Sendable {
        /// `--name` or `--name=value`.
        case long(name: String, inlineValue: String?)
        /// `-abc`: one or more short letters, the last of which may take the
        /// rest as its value (`-c64`).
        case shortCluster(String)
        /// `--`: everything after it is positional.
        case terminator
        /// A word that is not an option, including `-` (stdin).
        case positional(String)
    }

    /// Classifies `argument`. After `--` the caller stops tokenizing.
    static func token(for argument: String) -> Token {
        if argument == "--" { return .terminator }
        if argument.hasPrefix("--") {
            let body = argument.dropFirst(2)
            // Found among Unicode scalars, not Characters: a value that starts
            // with a combining mark would otherwise fuse with the `=` into
            // one Character and hide it.
            if let equals = body.unicodeScalars.firstIndex(of: "=") {
                return .long(
                    name: String(body[..<equals]),
                    inlineValue: String(body[body.unicodeScalars.index(after: equals)...]))
            }
            return .long(name: String(body), inlineValue: nil)
        }
        if argument.hasPrefix("-"), argument.count > 1 {
            return .shortCluster(String(argument.dropFirst()))
        }
        return .positional(argument)
    }
}
