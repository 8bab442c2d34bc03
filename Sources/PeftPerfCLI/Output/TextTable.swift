/// An aligned plain-text table. Numbers are right-aligned.
///
/// Every cell and header is shown through ``TerminalText/escaped(_:)``, here
/// and nowhere else, so that a name or statement from outside can neither
/// send a terminal its control sequences nor break a row with a line feed;
/// column widths are measured on the escaped text.
struct TextTable {
    private let headers: [String]
    private var rows: [[String]] = []
    private var rightAligned: Set<Int> = []

    /// The least a flexible column gets, however narrow the terminal.
    static let minimumFlexibleWidth = 16

    init(headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    @discardableResult
    mutating func addRow(_ cells: [String]) -> TextTable {
        self.rows.append(cells)
        return self
    }

    func addingRow(_ cells: [String]) -> TextTable {
        var copy = self
        copy.rows.append(cells)
        return copy
    }

    /// The rendered table, one line per row, with a header underline.
    ///
    /// With `width`, the column `flexible` (a statement) gets what the other
    /// columns, kept whole, leave of `width`, but at least
    /// ``minimumFlexibleWidth`` characters; its longer cells are cut with
    /// `…`, after escaping. `fit` shortens a raw cell of that column to a
    /// width first (``StatementDisplay/fitted(_:width:)``).
    func render(width: Int? = nil, flexible: Int? = nil, fit: ((String, Int) -> String)? = nil) -> String {
        let headers = self.headers.map(TerminalText.escaped)
        var rows = self.rows.map { $0.map(TerminalText.escaped) }
        let columns = max(headers.count, rows.map(\.count).max() ?? 0)
        var widths = [Int](repeating: 0, count: columns)
        for row in [headers] + rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        if let width, let flexible, flexible < columns {
            let others = widths.enumerated().filter { $0.offset != flexible }.map(\.element).reduce(0, +)
            let room = max(width - others - 2 * (columns - 1), Self.minimumFlexibleWidth)
            if widths[flexible] > room {
                widths[flexible] = room
                for r in rows.indices where flexible < rows[r].count && rows[r][flexible].count > room {
                    if let fit { rows[r][flexible] = TerminalText.escaped(fit(self.rows[r][flexible], room)) }
                    rows[r][flexible] = Format.shorten(rows[r][flexible], to: room)
                }
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for i in 0..<columns {
                let cell = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(self.rightAligned.contains(i) ? pad + cell : cell + pad)
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text + "\n"
        }
        var out = ""
        if !headers.isEmpty {
            out += line(headers)
            out += line(widths.map { String(repeating: "-", count: $0) })
        }
        for row in rows { out += line(row) }
        return out
    }
}
