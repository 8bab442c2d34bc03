/// A service body that a live report prints whole, in the keys of a local
/// report: ``LiveReport`` writes it, with the time it arrived, under that
/// report's schema version.
public protocol ServiceReportBody: ServiceBody, Encodable, Equatable {
    /// The schema version of the local report whose keys the body's JSON uses.
    static var localSchemaVersion: Int { get }
}
