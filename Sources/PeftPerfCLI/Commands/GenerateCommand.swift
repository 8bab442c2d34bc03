import PeftPerfCore

extension PeftPerf {
    /// `peft-perf __generate man-options|man [FILE]|bash|zsh|fish`: a hidden
    /// command that prints a file generated from the command table.
    enum GenerateCommand {
        /// The man page is read up to this size; it is about 40 KB.
        static let manPageLimit = 4 << 20

        /// The man page to fill in cannot be read.
        struct ReadError: Error, CustomStringConvertible {
            let description: String
        }

        static func run(_ context: CommandContext) throws -> ExitStatus {
            let words = context.arguments.positionals
            let names = DocumentationTarget.allCases.map(\.rawValue).joined(separator: ", ")
            guard let first = words.first, let target = DocumentationTarget(rawValue: first) else {
                throw UsageError(
                    words.first.map { "unknown target '\($0)' for '__generate'" } ?? "'__generate' needs a TARGET",
                    hint: "expected one of: \(names)")
            }
            let maxWords = target == .man ? 2 : 1
            guard words.count <= maxWords else {
                throw UsageError("unexpected argument '\(words[maxWords])' for '__generate \(target.rawValue)'")
            }
            var page = ""
            if target == .man {
                let path = words.count > 1 ? words[1] : (target.committedPath ?? "")
                guard let bytes = HTTPBenchConfiguration.readBodyFile(path: path, limit: self.manPageLimit) else {
                    throw ReadError(
                        description:
                            "cannot read the man page '\(path)'; run from the repository root, or name it: __generate man FILE"
                    )
                }
                // `__generate man > man/peft-perf.1` has the shell empty the page
                // before it is read: say so rather than print a page of nothing.
                guard !bytes.isEmpty else {
                    throw ReadError(
                        description:
                            "the man page '\(path)' is empty; if '>' emptied it, restore it (git checkout \(path)) and write with -o instead"
                    )
                }
                page = String(decoding: bytes, as: UTF8.self)
            }
            try context.emit(try target.generate(currentManPage: page))
            return .success
        }
    }
}
