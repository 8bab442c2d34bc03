import PeftPerfCore

/// Text from outside (a URL, an `--assert` expression, a file name) made
/// safe to put in a Markdown report, in a code span.
///
/// Inside a code span, Markdown has no syntax but the backticks that end it,
/// so `#`, `-`, `*`, `_`, `[`, `<` and `&` at any position show as they are.
/// What is left:
///
/// - backticks: the span is fenced with one backtick more than the longest
///   run in the text, and padded with a space where the text starts or ends
///   with a backtick or a space (CommonMark strips one such space each side);
/// - `|` in a table cell, which GFM splits on before it parses the span,
///   becomes `\|` (GFM shows `|`);
/// - control characters, which a code span would keep raw (a line feed would
///   end the table row), are shown as escapes, as on the terminal: `\x1b`,
///   `\t`, `\n`, `\r`, C1 as `\u{85}`; so a backslash is shown as `\\`
///   (inside a code span a backslash is literal).
enum MarkdownText {
    /// `text` as a code span; `inTableCell` also escapes `|`. An empty text
    /// gives an empty string, since an empty code span does not exist.
    static func codeSpan(_ text: String, inTableCell: Bool) -> String {
        var body = ""
        var longestRun = 0
        var run = 0
        for scalar in text.unicodeScalars {
            if scalar == "`" {
                run += 1
                longestRun = max(longestRun, run)
            } else {
                run = 0
            }
            switch scalar {
            case "\\": body += "\\\\"
            case "|" where inTableCell: body += "\\|"
            default:
                if let escape = ControlCharacters.visibleEscape(scalar) {
                    body += escape
                } else {
                    body.unicodeScalars.append(scalar)
                }
            }
        }
        guard !body.isEmpty else { return "" }
        let fence = String(repeating: "`", count: longestRun + 1)
        let padded =
            body.hasPrefix("`") || body.hasSuffix("`")
                || (body.hasPrefix(" ") && body.hasSuffix(" ") && body.contains { $0 != " " })
            ? " \(body) " : body
        return fence + padded + fence
    }
}
