/// A performance claim of the original design, beside what this run measured.
///
/// The original backend's documentation promised figures it never measured;
/// the default suite states each one next to our own measurement, so a reader
/// sees at a glance which held.
public struct BenchClaim: Sendable, Encodable {
    /// The claim as the original design stated it.
    public var claim: String
    /// What this run measured, in words.
    public var measured: String
    /// The measured figure (a fraction or a ratio), nil when not measured.
    public var value: Double?
    /// Whether the measurement meets the claim's lower bound; nil if unmeasured.
    public var holds: Bool?

    public init(claim: String, measured: String, value: Double?, holds: Bool?) {
        self.claim = claim
        self.measured = measured
        self.value = value
        self.holds = holds
    }
}
