/// Python's `round(x, n)` for floats, bit for bit.
///
/// psutil rounds every percentage with `round(value, 1)`. Python rounds the
/// *exact* binary value of the double to the nearest multiple of 10⁻ⁿ, ties
/// to even, and converts the decimal result back with correct rounding.
/// Scaling first (`(x * 10).rounded(.toNearestOrEven) / 10`) is not the same:
/// `0.15` is really 0.1499999999999999944…, which Python rounds to `0.1`, but
/// `0.15 * 10` rounds to exactly `1.5` and then to `2`.
///
/// The exact comparisons use fused multiply-add: `fma(x, s, -k)` computes
/// `x·s − k` with a single rounding, and a single rounding never changes the
/// sign of a result nor turns a non-zero result into zero (no underflow at
/// these magnitudes), so the sign tests below are exact.
public enum PythonRounding {
    /// `round(x, places)` as CPython computes it, for `0 ≤ places ≤ 15` and
    /// `|x| < 2⁵²/10^places`; other inputs are returned unchanged.
    public static func round(_ x: Double, places: Int) -> Double {
        guard x.isFinite, (0...15).contains(places) else { return x }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }  // exact: 10^15 < 2^53
        let estimate = x * scale
        guard abs(estimate) < 4_503_599_627_370_496 else { return x }  // 2^52
        // k = floor(x·scale), corrected for the rounding of the product.
        var k = estimate.rounded(.down)
        if (-k).addingProduct(x, scale) < 0 {
            k -= 1
        } else if (-(k + 1)).addingProduct(x, scale) >= 0 {
            k += 1
        }
        // Compare x·scale with the midpoint k + ½ exactly: sign of 2·x·scale − (2k + 1).
        let twiceScale = scale * 2
        let versusMidpoint = (-(2 * k + 1)).addingProduct(x, twiceScale)
        let q: Double
        if versusMidpoint < 0 {
            q = k
        } else if versusMidpoint > 0 {
            q = k + 1
        } else {
            q = k.truncatingRemainder(dividingBy: 2) == 0 ? k : k + 1
        }
        // Python parses the decimal digits back with correct rounding; dividing
        // an exact integer by an exact power of ten is correctly rounded too.
        return q / scale
    }
}
