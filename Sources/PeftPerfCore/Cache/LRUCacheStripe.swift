/// What one thread's reads of an ``LRUCache`` shard leave behind: its hit and
/// miss counts, and its latest hits, whose recency the shard has not applied yet.
///
/// A read locks only its own stripe and writes only here, so two threads
/// reading the same hot keys never write to the same cache line. The next
/// writer of the shard (which locks every stripe) applies the recorded hits to
/// the LRU list, oldest first, before it changes anything. This is the read
/// buffer of Caffeine and of the BP-Wrapper design of PostgreSQL's buffer
/// manager, and, as theirs, it is lossy: it keeps the latest ``capacity`` hits,
/// and older ones not yet applied are forgotten for recency (never for the
/// stats), since the latest hits already carry most of what recency knows.
/// Draining on a full buffer instead would relink shared list nodes from
/// both cores on every few hits, which is what kept a shared cache from scaling.
///
/// Plain memory next to its stripe's lock, only touched with that lock held.
struct LRUCacheStripe {
    /// Latest hits kept.
    static var capacity: Int { 32 }

    var hits = 0
    var misses = 0
    /// Hits recorded since the last drain (may exceed ``capacity``: only the
    /// latest ``capacity`` are kept).
    var recorded = 0
    /// Recorded hits, a ring: hit `n` is at `n % capacity`.
    var events = InlineArray<32, UInt64>(repeating: 0)

    /// Records a hit: counts it and keeps its recency event.
    @inline(__always)
    mutating func recordHit(_ event: UInt64) {
        self.hits &+= 1
        self.events[self.recorded & (Self.capacity - 1)] = event
        self.recorded &+= 1
    }

    /// Calls `apply` with the kept events, oldest first, and forgets them.
    @inline(__always)
    mutating func drain(_ apply: (UInt64) -> Void) {
        guard self.recorded > 0 else { return }
        for n in max(0, self.recorded - Self.capacity)..<self.recorded {
            apply(self.events[n & (Self.capacity - 1)])
        }
        self.recorded = 0
    }
}
