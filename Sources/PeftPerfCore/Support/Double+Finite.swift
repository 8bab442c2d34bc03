extension Double {
    /// The value, or nil when it is NaN or infinite.
    ///
    /// JSON has no NaN: report fields hold `Double?` and an undefined figure
    /// (a percentile of nothing, a rate over zero seconds) is encoded as `null`.
    public var finiteOrNil: Double? { self.isFinite ? self : nil }
}
