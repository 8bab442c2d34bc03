extension Double {
    /// The value, or nil when it is NaN or infinite.
    ///
    /// JSON has no NaN: report fields hold `Double?` and an undefined figure
    /// (a percentile of nothing, a rate over zero seconds) is encoded as `null`.
    public var finiteOrNil: Double? { self.isFinite ? self : nil }

    /// Rounds half to even at `places` decimals, as Python's `round()` and
    /// therefore psutil do. Swift's default `.rounded()` rounds half away from
    /// zero and disagrees on about 0.1% of values.
    public func roundedHalfEven(places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded(.toNearestOrEven) / scale
    }
}
