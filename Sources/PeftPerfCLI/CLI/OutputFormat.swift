/// The formats a report can be printed in.
enum OutputFormat: String, Sendable, CaseIterable {
    case table
    case json
    case prometheus
}
