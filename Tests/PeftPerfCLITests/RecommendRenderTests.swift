import PeftPerfCore
import Testing

@testable import PeftPerfCLI

/// `recommend`'s table with the service's own recommendations beside peft-perf's.
@Suite struct RecommendRenderTests {
    @Test func serviceRecommendationsAreLabelledAndHaveNoAction() {
        let input = RecommendationInput(requests: .init(requests: 100, errors: 50, meanSeconds: 0.1))
        var report = RecommendReport(
            evaluation: RecommendationEngine.evaluate(input), failOn: nil, sinceSeconds: nil)
        report.addServiceRecommendations(["Cache hit rate is low\u{1B}[2J. Consider warming."])
        let text = PeftPerf.RecommendCommand.render(report, verbose: false)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("critical  error_rate_high") })
        let service = lines.first { $0.contains("Consider warming") }
        #expect(service?.hasPrefix("info      (service)") == true, "\(text)")
        #expect(!text.contains("\u{1B}"), "terminal escapes from the service are shown escaped")
        let actions = lines.drop { $0 != "Actions:" }
        #expect(actions.contains { $0.hasPrefix("  error_rate_high:") })
        #expect(!actions.contains { $0.contains("service_recommendation") || $0.contains("(service)") })
    }
}
