/// Reads a plain route file: one template per line.
///
///     # PEFT Studio
///     GET /api/runs/active
///     GET /api/runs/{job_id}
///     DELETE /api/runs/{job_id}
///     /api/models/{model_id:path}
///
/// A line is `[METHOD] /path` (``RouteTemplate/init(parsing:pathParameters:)``);
/// `#` starts a comment; blank lines are skipped. A bad line is an error that
/// names its line number.
public enum PlainRouteParser {
    /// Most templates read from one file.
    public static let maxTemplates = 100_000

    public static func parse(_ text: String, pathParameters: Set<String> = []) throws(RouteSourceError)
        -> [RouteTemplate]
    {
        var templates: [RouteTemplate] = []
        var number = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = rawLine
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = String(line).trimmingASCIIWhitespace()
            if trimmed.isEmpty { continue }
            do {
                templates.append(try RouteTemplate(parsing: trimmed, pathParameters: pathParameters))
            } catch {
                throw RouteSourceError("line \(number): \(error.description)")
            }
            guard templates.count <= Self.maxTemplates else {
                throw RouteSourceError("more than \(Self.maxTemplates) templates")
            }
        }
        guard !templates.isEmpty else { throw RouteSourceError("no route templates in it") }
        return templates
    }
}
