import PeftPerfCore

/// The one formatter of figures for tables and text reports: durations,
/// percentages and text cut to a width. Absent figures read `-`.
enum Format {
    /// `12.5ms`, `1.20s` (``DurationParser/format(seconds:)``); `-` for none.
    static func duration(_ seconds: Double?) -> String {
        seconds.map { DurationParser.format(seconds: $0) } ?? "-"
    }

    /// A fraction (0.125) as a percentage with `places` decimals (`12.5%`); `-` for none.
    static func percent(_ fraction: Double?, places: Int = 1) -> String {
        fraction.map { DecimalNumber.format($0 * 100, places: places) + "%" } ?? "-"
    }

    /// A figure already in percent (12.5) with `places` decimals: `12.5%`.
    static func percent(points: Double, places: Int = 1) -> String {
        DecimalNumber.format(points, places: places) + "%"
    }

    /// `text` cut to at most `width` characters, ending with `…` when cut.
    static func shorten(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return width == 1 ? "…" : "" }
        return String(text.prefix(width - 1)) + "…"
    }
}
