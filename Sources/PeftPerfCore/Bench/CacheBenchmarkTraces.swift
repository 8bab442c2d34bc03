#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The key traces of the cache benchmark, generated once from a seed and
/// shared by every implementation, as the Python reference does.
///
/// - (a) `warmHits`: uniform picks among the `capacity` warm keys `key:0`...
/// - (b) `newKeys`: distinct keys `new:0`... never seen before.
/// - (c) `zipf`: Zipf(s) picks over `key:0`... `key:<universe-1>`, rank 1
///   being `key:0`.
struct CacheBenchmarkTraces: Sendable {
    let warmKeys: [String]
    let warmHits: [String]
    let warmIntKeys: [Int]
    let warmIntHits: [Int]
    /// One slice of distinct new keys per thread (the first for one thread).
    let newKeys: [[String]]
    let zipf: [String]
    /// Hits over lookups of a cache holding the `capacity` most frequent keys
    /// of `zipf`, fixed.
    let zipfStaticOptimalHitRate: Double

    init(options: CacheBenchmarkOptions) {
        var random = CacheBenchmarkRandom(seed: options.seed)
        let operations = max(1, options.operations)
        let capacity = max(1, options.capacity)
        let threads = max(1, options.threads)

        let warm = (0..<capacity).map { "key:\($0)" }
        warmKeys = warm
        warmIntKeys = Array(0..<capacity)
        var intHits: [Int] = []
        intHits.reserveCapacity(operations)
        for _ in 0..<operations { intHits.append(Int(random.next() % UInt64(capacity))) }
        warmIntHits = intHits
        warmHits = intHits.map { warm[$0] }

        newKeys = (0..<threads).map { thread in
            (0..<operations).map { "new:\(thread * operations + $0)" }
        }

        let universe = max(1, options.zipfUniverse)
        var cumulative: [Double] = []
        cumulative.reserveCapacity(universe)
        var total = 0.0
        for rank in 1...universe {
            total += 1.0 / pow(Double(rank), options.zipfExponent)
            cumulative.append(total)
        }
        let universeKeys = (0..<universe).map { "key:\($0)" }
        var counts = [Int](repeating: 0, count: universe)
        var trace: [String] = []
        trace.reserveCapacity(operations)
        for _ in 0..<operations {
            let target = random.nextUnitInterval() * total
            // First index whose cumulative weight exceeds target.
            var low = 0
            var high = universe - 1
            while low < high {
                let mid = (low + high) / 2
                if cumulative[mid] > target { high = mid } else { low = mid + 1 }
            }
            counts[low] += 1
            trace.append(universeKeys[low])
        }
        zipf = trace
        let top = counts.sorted(by: >).prefix(capacity).reduce(0, +)
        zipfStaticOptimalHitRate = Double(top) / Double(operations)
    }
}

/// SplitMix64: small, fast and reproducible across platforms.
struct CacheBenchmarkRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    mutating func nextUnitInterval() -> Double {
        Double(next() &>> 11) * 0x1p-53
    }
}
