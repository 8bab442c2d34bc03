/// A normalized statement made short enough to read in a table: an ORM's
/// select list of plain columns collapses to a count.
///
/// `SELECT training_runs.id AS training_runs_id, training_runs.job_id AS
/// training_runs_job_id, … FROM training_runs WHERE …` is shown as
/// `SELECT <24 columns of training_runs> FROM training_runs WHERE …`.
///
/// The rules, applied to every `SELECT` (a subquery's too):
/// - an item is *plain* when it is a column, optionally qualified
///   (`t.c`, `s.t.c`, quoted parts as `"t"."c"`), optionally aliased
///   (`AS a`, or a bare alias);
/// - each run of two or more consecutive plain items collapses to
///   `<N columns of T>` (`<N columns of T1, T2>` over several tables, in
///   order of first appearance; `<N columns>` when no item is qualified);
/// - `*`, `t.*`, expressions, function calls, literals and subqueries are
///   kept as written, so `SELECT count(*) FROM …` and
///   `SELECT t.a, t.b, max(t.c) FROM …` stay readable and exact in their
///   non-column part (the latter becomes `SELECT <2 columns of t>, max(t.c) FROM …`);
/// - a list collapses only when it ends at a `FROM` of the same nesting level;
/// - WHERE, ORDER BY and every other clause are kept as written, but for
///   their `T.` qualifiers, dropped when the statement reads one table
///   `T` and nothing else (``unqualified(_:)``).
///
/// Display only: JSON and the store keep the full normalized text. Like
/// ``SQLNormalizer``, it scans bytes, never traps and always ends, whatever
/// the input (its work is bounded linearly in the input's length), and its
/// output is never longer than its input: a run is replaced only by
/// something shorter.
public enum StatementDisplay {
    /// `statement` with each select list of plain columns collapsed, and
    /// the table qualifiers dropped where they are noise (``unqualified(_:)``).
    public static func collapsed(_ statement: String) -> String {
        Self.unqualified(Self.collapsedLists(statement))
    }

    /// ``collapsed(_:)`` made to fit `width` characters, for a table column.
    ///
    /// When the collapsed text is too long and starts with `SELECT`, a
    /// select list longer than 12 bytes goes first (`SELECT … FROM training_runs WHERE …`): what
    /// tells statements apart is after `FROM`, and the id beside it names the
    /// whole. Then the end is cut, with `…`. Never longer than `width`
    /// characters (for `width` ≥ 1).
    public static func fitted(_ statement: String, width: Int) -> String {
        let shown = Self.collapsed(statement)
        guard shown.count > width else { return shown }
        var text = shown
        let bytes = Array(shown.utf8)
        let scanner = Scanner(bytes: bytes)
        if let from = scanner.firstTopLevelFrom(), from > 7 + 12, scanner.isKeyword(0, 6, "SELECT"), bytes[6] == 0x20 {
            text = "SELECT … " + String(decoding: bytes[from...], as: UTF8.self)
        }
        guard text.count > width else { return text }
        guard width > 1 else { return width == 1 ? "…" : "" }
        return String(text.prefix(width - 1)) + "…"
    }

    /// `statement` without its `T.` qualifiers, when that cannot be
    /// ambiguous: it has one `SELECT` (no subquery), no `JOIN`, its `FROM`
    /// names the one table `T` with no alias (followed by the end, `WHERE`,
    /// `GROUP`, `ORDER`, `LIMIT` or `HAVING`), and every qualifier in it is
    /// `T`. Otherwise it is returned as it is.
    public static func unqualified(_ statement: String) -> String {
        let bytes = Array(statement.utf8)
        let scanner = Scanner(bytes: bytes)
        guard let cuts = scanner.qualifiersToDrop(), !cuts.isEmpty else { return statement }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var position = 0
        for cut in cuts where cut.lowerBound >= position && cut.upperBound <= bytes.count {
            out.append(contentsOf: bytes[position..<cut.lowerBound])
            position = cut.upperBound
        }
        out.append(contentsOf: bytes[position...])
        return String(decoding: out, as: UTF8.self)
    }

    /// `statement` with each select list of plain columns collapsed, and nothing else changed.
    public static func collapsedLists(_ statement: String) -> String {
        let bytes = Array(statement.utf8)
        var scanner = Scanner(bytes: bytes)
        let replacements = scanner.replacements()
        guard !replacements.isEmpty else { return statement }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var position = 0
        for r in replacements.sorted(by: { $0.start < $1.start }) where r.start >= position && r.end <= bytes.count {
            out.append(contentsOf: bytes[position..<r.start])
            out.append(contentsOf: r.text)
            position = r.end
        }
        out.append(contentsOf: bytes[position...])
        return String(decoding: out, as: UTF8.self)
    }

    struct Replacement {
        var start: Int
        var end: Int
        var text: [UInt8]
    }

    struct Scanner {
        let b: [UInt8]
        /// Steps left; linear in the input, so that nested SELECTs, each
        /// scanning its list again, can never make the work quadratic.
        var budget: Int

        init(bytes: [UInt8]) {
            self.b = bytes
            self.budget = 64 * bytes.count + 4096
        }

        static func isWordStart(_ c: UInt8) -> Bool {
            (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c >= 0x80
        }

        static func isWordByte(_ c: UInt8) -> Bool {
            Self.isWordStart(c) || (c >= 0x30 && c <= 0x39) || c == 0x24
        }

        static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }

        /// The end of the word starting at `i` (a word byte run).
        func wordEnd(_ i: Int) -> Int {
            var j = i
            while j < self.b.count, Self.isWordByte(self.b[j]) { j += 1 }
            return j
        }

        /// Whether b[start..<end] is `keyword` (upper-case ASCII), ignoring case.
        func isKeyword(_ start: Int, _ end: Int, _ keyword: StaticString) -> Bool {
            guard end - start == keyword.utf8CodeUnitCount else { return false }
            let k = keyword.utf8Start
            for n in 0..<(end - start) {
                var c = self.b[start + n]
                if c >= 0x61 && c <= 0x7A { c -= 0x20 }
                if c != k[n] { return false }
            }
            return true
        }

        /// The end of the quoted text (string literal or quoted identifier)
        /// starting at `i`, past its closing quote; the input's end when it
        /// is unterminated. A doubled quote inside is kept.
        func quotedEnd(_ i: Int) -> Int {
            let open = self.b[i]
            let close: UInt8 = open == UInt8(ascii: "[") ? UInt8(ascii: "]") : open
            var j = i + 1
            while j < self.b.count {
                if self.b[j] == close {
                    if close != UInt8(ascii: "]"), j + 1 < self.b.count, self.b[j + 1] == close {
                        j += 2
                        continue
                    }
                    return j + 1
                }
                j += 1
            }
            return self.b.count
        }

        static func isQuote(_ c: UInt8) -> Bool {
            c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "`") || c == UInt8(ascii: "[")
        }

        mutating func replacements() -> [Replacement] {
            var found: [Replacement] = []
            var i = 0
            while i < self.b.count, self.budget > 0 {
                self.budget -= 1
                let c = self.b[i]
                if Self.isQuote(c) {
                    i = self.quotedEnd(i)
                } else if Self.isWordStart(c) {
                    let end = self.wordEnd(i)
                    if self.isKeyword(i, end, "SELECT") { found += self.selectList(from: end) }
                    i = end
                } else if Self.isWordByte(c) {
                    i = self.wordEnd(i)
                } else {
                    i += 1
                }
            }
            return found
        }

        /// The byte ranges of the `T.` qualifiers ``StatementDisplay/unqualified(_:)``
        /// drops, in order; nil when they must stay. One linear pass.
        func qualifiersToDrop() -> [Range<Int>]? {
            var selects = 0
            var table: Range<Int>? = nil
            var qualifiers: [Range<Int>] = []
            var i = 0
            while i < self.b.count {
                let c = self.b[i]
                var identifier: Range<Int>? = nil
                if c == UInt8(ascii: "'") {
                    i = self.quotedEnd(i)
                    continue
                } else if Self.isQuote(c) {
                    identifier = i..<self.quotedEnd(i)
                } else if Self.isWordStart(c) {
                    let end = self.wordEnd(i)
                    if self.isKeyword(i, end, "JOIN") { return nil }
                    if self.isKeyword(i, end, "SELECT") {
                        selects += 1
                        if selects > 1 { return nil }
                    }
                    if self.isKeyword(i, end, "FROM") {
                        guard table == nil, let t = self.identifier(at: self.skipSpaces(end), self.b.count)
                        else { return nil }
                        let next = self.skipSpaces(t.upperBound)
                        if next < self.b.count {
                            guard Self.isWordStart(self.b[next]) else { return nil }
                            let w = self.wordEnd(next)
                            let clause = ["WHERE", "GROUP", "ORDER", "LIMIT", "HAVING"] as [StaticString]
                            guard clause.contains(where: { self.isKeyword(next, w, $0) }) else { return nil }
                        }
                        table = t
                        i = t.upperBound
                        continue
                    }
                    identifier = i..<end
                } else if Self.isWordByte(c) {
                    i = self.wordEnd(i)
                    continue
                } else {
                    i += 1
                    continue
                }
                guard let name = identifier else { return nil }
                if name.upperBound < self.b.count, self.b[name.upperBound] == UInt8(ascii: "."),
                    name.upperBound + 1 < self.b.count,
                    Self.isWordStart(self.b[name.upperBound + 1]) || Self.isQuote(self.b[name.upperBound + 1])
                {
                    qualifiers.append(name.lowerBound..<(name.upperBound + 1))
                    i = name.upperBound + 1
                } else {
                    i = name.upperBound
                }
            }
            guard selects == 1, let table else { return nil }
            let name = self.b[table]
            for q in qualifiers where !self.b[q.lowerBound..<(q.upperBound - 1)].elementsEqual(name) { return nil }
            return qualifiers
        }

        /// Where the first `FROM` outside parentheses and quotes starts.
        func firstTopLevelFrom() -> Int? {
            var depth = 0
            var i = 0
            while i < self.b.count {
                let c = self.b[i]
                if Self.isQuote(c) {
                    i = self.quotedEnd(i)
                } else if Self.isWordStart(c) {
                    let end = self.wordEnd(i)
                    if depth == 0, self.isKeyword(i, end, "FROM") { return i }
                    i = end
                } else if Self.isWordByte(c) {
                    i = self.wordEnd(i)
                } else {
                    if c == UInt8(ascii: "(") { depth += 1 }
                    if c == UInt8(ascii: ")") { depth = max(depth - 1, 0) }
                    i += 1
                }
            }
            return nil
        }

        /// The collapsed runs of the select list starting after `SELECT` at `p`.
        mutating func selectList(from p: Int) -> [Replacement] {
            var i = self.skipSpaces(p)
            if i < self.b.count, Self.isWordStart(self.b[i]) {
                let end = self.wordEnd(i)
                if self.isKeyword(i, end, "DISTINCT") || self.isKeyword(i, end, "ALL") { i = self.skipSpaces(end) }
            }
            var items: [(start: Int, end: Int)] = []
            var itemStart = i
            var depth = 0
            var lastNonSpace = i
            while true {
                guard self.budget > 0, i < self.b.count else { return [] }
                self.budget -= 1
                let c = self.b[i]
                if Self.isQuote(c) {
                    i = self.quotedEnd(i)
                    lastNonSpace = i
                    continue
                }
                if Self.isWordStart(c) {
                    let end = self.wordEnd(i)
                    if depth == 0 {
                        if self.isKeyword(i, end, "FROM") {
                            items.append((itemStart, lastNonSpace))
                            break
                        }
                        // A list never holds another SELECT at its own level.
                        if self.isKeyword(i, end, "SELECT") { return [] }
                    }
                    i = end
                    lastNonSpace = i
                    continue
                }
                if c == UInt8(ascii: "(") {
                    depth += 1
                } else if c == UInt8(ascii: ")") {
                    if depth == 0 { return [] }
                    depth -= 1
                } else if c == UInt8(ascii: ","), depth == 0 {
                    items.append((itemStart, lastNonSpace))
                    i = self.skipSpaces(i + 1)
                    itemStart = i
                    lastNonSpace = i
                    continue
                }
                i += 1
                if !Self.isSpace(c) { lastNonSpace = i }
            }
            return self.runs(items)
        }

        func skipSpaces(_ p: Int) -> Int {
            var i = p
            while i < self.b.count, Self.isSpace(self.b[i]) { i += 1 }
            return i
        }

        /// The runs of two or more plain items, each as a shorter replacement.
        func runs(_ items: [(start: Int, end: Int)]) -> [Replacement] {
            var out: [Replacement] = []
            var run: [(start: Int, end: Int, table: ArraySlice<UInt8>?)] = []
            func flush() {
                defer { run.removeAll() }
                guard run.count >= 2, let first = run.first, let last = run.last else { return }
                var tables: [ArraySlice<UInt8>] = []
                for item in run {
                    if let t = item.table, !tables.contains(where: { $0.elementsEqual(t) }) { tables.append(t) }
                }
                var text = Array("<\(run.count) columns".utf8)
                if !tables.isEmpty {
                    text += Array(" of ".utf8)
                    for (n, t) in tables.enumerated() {
                        if n > 0 { text += Array(", ".utf8) }
                        text += t
                    }
                }
                text.append(UInt8(ascii: ">"))
                if text.count < last.end - first.start {
                    out.append(Replacement(start: first.start, end: last.end, text: text))
                }
            }
            for item in items {
                if let plain = self.plainColumn(item.start, item.end) {
                    run.append((item.start, item.end, plain))
                } else {
                    flush()
                }
            }
            flush()
            return out
        }

        /// For a plain column item in b[start..<end]: its table qualifier
        /// (nil inside when unqualified); nil when the item is not plain.
        func plainColumn(_ start: Int, _ end: Int) -> ArraySlice<UInt8>?? {
            guard start < end, end <= self.b.count else { return nil }
            var parts: [Range<Int>] = []
            var i = start
            // Up to three dotted parts: schema.table.column.
            while true {
                guard let part = self.identifier(at: i, end) else { return nil }
                parts.append(part)
                i = part.upperBound
                guard i < end, self.b[i] == UInt8(ascii: "."), parts.count < 3 else { break }
                i += 1
            }
            // An optional alias: `AS name` or `name`.
            var j = self.skipSpaces(i)
            if j < end {
                guard j > i else { return nil }
                if Self.isWordStart(self.b[j]) {
                    let w = self.wordEnd(j)
                    if self.isKeyword(j, w, "AS") { j = self.skipSpaces(w) }
                }
                guard let alias = self.identifier(at: j, end), alias.upperBound == end else { return nil }
            }
            guard parts.count >= 2 else {
                // An unqualified bare word may be a constant, not a column.
                let only = parts[0]
                for constant: StaticString in [
                    "NULL", "TRUE", "FALSE", "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP",
                ]
                where self.isKeyword(only.lowerBound, only.upperBound, constant) {
                    return nil
                }
                return .some(nil)
            }
            return .some(self.b[parts[parts.count - 2]])
        }

        /// A bare or quoted identifier starting at `i`, within `end`.
        func identifier(at i: Int, _ end: Int) -> Range<Int>? {
            guard i < end else { return nil }
            let c = self.b[i]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "`") || c == UInt8(ascii: "[") {
                let e = self.quotedEnd(i)
                guard e <= end, e > i + 1 else { return nil }
                return i..<e
            }
            guard Self.isWordStart(c) else { return nil }
            let e = min(self.wordEnd(i), end)
            return i..<e
        }
    }
}
