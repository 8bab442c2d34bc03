import Foundation
import Synchronization

/// A clock the test moves by hand: nanoseconds, starting at an arbitrary
/// non-zero point like the real monotonic clock.
final class ManualClock: Sendable {
    private let now = Atomic<UInt64>(1_000_000_000_000)

    var read: @Sendable () -> UInt64 { { [self] in self.now.load(ordering: .relaxed) } }

    func advance(seconds: Double) {
        now.add(UInt64(seconds * 1e9), ordering: .relaxed)
    }
}

/// A key whose hash is constant: every key lands in the same shard and the
/// same home bucket, which exercises long probe runs, backward-shift
/// deletion and shard growth.
struct CollidingKey: Hashable, Sendable {
    let id: Int
    func hash(into hasher: inout Hasher) { hasher.combine(0) }
}

/// Runs `body(i)` on `count` fresh threads at once and waits for all.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        let thread = Thread {
            body(index)
            done.leave()
        }
        thread.start()
    }
    done.wait()
}

/// A deterministic generator (SplitMix64) so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The obvious, slow LRU the fast one must agree with: an array ordered from
/// most to least recently used.
struct ReferenceLRU<Key: Hashable> {
    let capacity: Int
    var order: [Key] = []
    var values: [Key: Int] = [:]
    var expiry: [Key: UInt64] = [:]
    var hits = 0, misses = 0, evictions = 0, expirations = 0

    mutating func get(_ key: Key, now: UInt64) -> Int? {
        guard let value = values[key] else {
            misses += 1
            return nil
        }
        if expiry[key]! <= now {
            drop(key)
            expirations += 1
            misses += 1
            return nil
        }
        touch(key)
        hits += 1
        return value
    }

    mutating func set(_ key: Key, _ value: Int, expiresAt: UInt64, now: UInt64) {
        // The cache drops up to two expired entries at the cold end first.
        for _ in 0..<2 {
            guard let last = order.last, expiry[last]! <= now else { break }
            drop(last)
            expirations += 1
        }
        if values[key] != nil {
            if expiry[key]! <= now { expirations += 1 }
            touch(key)
        } else {
            if order.count >= capacity, let last = order.last {
                if expiry[last]! <= now { expirations += 1 } else { evictions += 1 }
                drop(last)
            }
            order.insert(key, at: 0)
        }
        values[key] = value
        expiry[key] = expiresAt
    }

    mutating func remove(_ key: Key, now: UInt64) -> Int? {
        guard let value = values[key] else { return nil }
        let expired = expiry[key]! <= now
        drop(key)
        if expired {
            expirations += 1
            return nil
        }
        return value
    }

    /// Removes `key`, expired or not; whether it was present.
    mutating func removeAny(_ key: Key, now: UInt64) -> Bool {
        guard values[key] != nil else { return false }
        _ = remove(key, now: now)
        return true
    }

    private mutating func touch(_ key: Key) {
        order.remove(at: order.firstIndex(of: key)!)
        order.insert(key, at: 0)
    }

    private mutating func drop(_ key: Key) {
        order.remove(at: order.firstIndex(of: key)!)
        values[key] = nil
        expiry[key] = nil
    }
}
