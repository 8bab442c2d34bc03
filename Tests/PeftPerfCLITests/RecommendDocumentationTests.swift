import Foundation
import PeftPerfCore
import Testing

/// The README's `recommend` tables say what the rule definitions say.
@Suite struct RecommendDocumentationTests {
    /// The cells of each table row of the README's `recommend` section.
    static func rows() throws -> [[String]] {
        let readme = try DocumentationFiles.read("README.md")
        let start = try #require(readme.range(of: "### `recommend`"))
        let rest = readme[start.upperBound...]
        let end = rest.range(of: "\n### ")?.lowerBound ?? rest.endIndex
        return rest[..<end].split(separator: "\n").filter { $0.hasPrefix("| `") }.map { line in
            line.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
    }

    @Test(arguments: RecommendationRule.allCases)
    func rulesTableRowIsTheDefinition(rule: RecommendationRule) throws {
        let rows = try Self.rows().filter { $0.count == 4 && $0[0] == "`\(rule.rawValue)`" }
        try #require(rows.count == 1, "README rules table rows for \(rule.rawValue): \(rows.count)")
        let row = rows[0]
        #expect(row[1] == rule.severity.rawValue)
        #expect(row[2].replacingOccurrences(of: "`", with: "") == rule.summary)
        let names = rule.definition.thresholds.map { "`\($0.name)`" }.joined(separator: ", ")
        #expect(row[3] == (names.isEmpty ? "—" : names))
    }

    @Test(arguments: RecommendationRule.allCases)
    func evidenceTableNamesEveryRule(rule: RecommendationRule) throws {
        let rows = try Self.rows().filter { $0.count == 2 }
        let matching = rows.filter {
            $0[0].split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == "`\(rule.rawValue)`" }
        }
        #expect(matching.count == 1, "README evidence table rows for \(rule.rawValue): \(matching.count)")
    }
}

extension RecommendDocumentationTests {
    /// The man page lists every rule with its severity and its thresholds.
    @Test(arguments: RecommendationRule.allCases)
    func manPageListsTheRule(rule: RecommendationRule) throws {
        let man = try DocumentationFiles.read(DocumentationFiles.manPage)
        let entry = try #require(
            man.range(of: ".TP\n.B \(rule.rawValue)\n(\(rule.severity.rawValue))"), "\(rule.rawValue) in the man page")
        let rest = man[entry.upperBound...]
        let end = rest.range(of: "\n.TP")?.lowerBound ?? rest.range(of: "\n.PP")?.lowerBound ?? rest.endIndex
        let names = rule.definition.thresholds.map { "\\fB\($0.name)\\fR" }.joined(separator: ", ")
        if names.isEmpty {
            #expect(!rest[..<end].contains("Thresholds:"))
        } else {
            #expect(rest[..<end].contains("Thresholds: \(names)."), "\(rule.rawValue)")
        }
    }
}
