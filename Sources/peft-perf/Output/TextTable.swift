/// An aligned plain-text table. Numbers are right-aligned.
struct TextTable {
    private let headers: [String]
    private var rows: [[String]] = []
    private var rightAligned: Set<Int> = []

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
    func render() -> String {
        let columns = max(self.headers.count, self.rows.map(\.count).max() ?? 0)
        var widths = [Int](repeating: 0, count: columns)
        for row in [self.headers] + self.rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
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
        if !self.headers.isEmpty {
            out += line(self.headers)
            out += line(widths.map { String(repeating: "-", count: $0) })
        }
        for row in self.rows { out += line(row) }
        return out
    }
}
