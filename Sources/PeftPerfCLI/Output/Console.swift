/// Everything peft-perf says on stderr: errors, warnings, notes, progress.
///
/// stdout carries results only. Progress is drawn only when stderr is a
/// terminal, so logs of CI jobs stay clean.
///
/// Every message is one line, and often quotes something from outside (a
/// path, a URL, a table name, SQL, a bad input line): it is shown through
/// ``TerminalText/escaped(_:)``, so that its control characters, line feeds
/// included, are shown as escapes instead of acting on the terminal.
struct Console: Sendable {
    enum Verbosity: Int, Sendable, Comparable {
        case quiet = 0
        case normal = 1
        case verbose = 2

        static func < (a: Verbosity, b: Verbosity) -> Bool { a.rawValue < b.rawValue }
    }

    let verbosity: Verbosity
    let useColor: Bool
    let stderrIsTerminal: Bool

    init(verbosity: Verbosity, useColor: Bool) {
        self.verbosity = verbosity
        self.useColor = useColor
        self.stderrIsTerminal = StandardStream.error.isTerminal
    }

    /// `peft-perf: error: ...`, always shown.
    func error(_ message: String) {
        self.write("\(self.paint("peft-perf: error:", code: "31")) \(TerminalText.escaped(message))\n")
    }

    /// `peft-perf: warning: ...`, hidden by `--quiet`.
    func warn(_ message: String) {
        guard self.verbosity >= .normal else { return }
        self.write("\(self.paint("peft-perf: warning:", code: "33")) \(TerminalText.escaped(message))\n")
    }

    /// An informational line, hidden by `--quiet`.
    func note(_ message: String) {
        guard self.verbosity >= .normal else { return }
        self.write("peft-perf: \(TerminalText.escaped(message))\n")
    }

    /// Detail shown only with `--verbose`.
    func verbose(_ message: String) {
        guard self.verbosity >= .verbose else { return }
        self.write("peft-perf: \(TerminalText.escaped(message))\n")
    }

    /// A transient progress line, redrawn in place; only on a terminal.
    func progress(_ message: String) {
        guard self.stderrIsTerminal, self.verbosity >= .normal else { return }
        self.write("\r\u{1B}[K\(TerminalText.escaped(message))")
    }

    /// Clears the progress line, if one was drawn.
    func endProgress() {
        guard self.stderrIsTerminal, self.verbosity >= .normal else { return }
        self.write("\r\u{1B}[K")
    }

    private func paint(_ text: String, code: String) -> String {
        self.useColor && self.stderrIsTerminal ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func write(_ text: String) {
        var stream = StandardStream.error
        stream.write(Self.elidingLongLines(text))
    }

    /// `text` with the middle of every line longer than `limit` characters replaced by
    /// a count: a 128 KiB argument quoted in a message must not flood the terminal, and
    /// the line's start and end (what went wrong, which option) stay readable.
    static func elidingLongLines(_ text: String, limit: Int = 1_000) -> String {
        guard text.utf8.count > limit else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.count > limit else { return String(line) }
            let keep = limit / 2
            return "\(line.prefix(keep))…[\(line.count - 2 * keep) characters elided]…\(line.suffix(keep))"
        }.joined(separator: "\n")
    }
}
