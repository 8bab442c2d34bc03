/// The storage of one shard of an ``LRUCache``: an open-addressing hash table
/// over an array-backed, intrusive doubly linked list.
///
/// Why this shape: a `Dictionary<Key, Node>` with class nodes costs an
/// allocation per entry, retain/release traffic on every relink, and a second
/// hash of the key (the cache already hashed it once to pick the shard). Here:
/// - entries live in slots of three parallel buffers (`keys`, `values`,
///   `links`); the LRU list is threaded through `links` with `Int32` indices,
///   so relinking an entry touches plain integers only;
/// - the hash table maps the key's hash to a slot. Each table word packs the
///   low 32 bits of the hash (the high half) and `slot + 1` (the low half,
///   0 = empty), so a probe compares hashes without touching the slot, and the
///   key is compared only when the hashes agree;
/// - linear probing with backward-shift deletion: no tombstones, so probe
///   lengths never degrade with churn. The table is kept at most half full.
///
/// Slots hold initialized keys and values only while they are live; freed
/// slots form a free list through `links[slot].next`.
///
/// Not thread-safe: ``LRUCache`` only touches a shard inside its `Mutex`.
struct LRUCacheShard<Key: Hashable & Sendable, Value: Sendable>: ~Copyable {
    /// Per-slot bookkeeping, kept apart from keys and values so that list
    /// surgery never touches reference-counted memory.
    struct Link {
        /// Coarse monotonic nanoseconds at which the entry expires (`<= now`
        /// means expired). `UInt64.max`: never.
        var expiry: UInt64
        /// Low 32 bits of the key's hash; finds the table word of the slot.
        var hash: UInt32
        /// Toward the most recently used end; -1 at the head, ``freed`` for a
        /// free slot.
        var prev: Int32
        /// Toward the least recently used end; -1 at the tail. Free-list link
        /// for free slots.
        var next: Int32
    }

    /// `Link.prev` of a free slot: a recorded hit on it is stale.
    static var freed: Int32 { -2 }

    /// What a read-only lookup found.
    enum Peek {
        /// The value and the event to record for its recency (``touch(_:)``).
        case hit(Value, event: UInt64)
        case miss
        /// Present but expired: only a writer may drop it.
        case expired
    }

    /// What a lookup found.
    enum Lookup {
        case hit(Value)
        case miss
        /// The key was present but expired; its entry was dropped.
        case expired
    }

    private var keys: UnsafeMutablePointer<Key>
    private var values: UnsafeMutablePointer<Value>
    private var links: UnsafeMutablePointer<Link>
    private var slotCapacity: Int
    /// Slots at and above this index have never been used.
    private var nextUnusedSlot: Int = 0
    /// Head of the free list of released slots; -1 when empty.
    private var freeHead: Int32 = -1
    private var table: UnsafeMutablePointer<UInt64>
    private var tableMask: Int
    /// Most recently used slot; -1 when empty.
    private var head: Int32 = -1
    /// Least recently used slot; -1 when empty.
    private var tail: Int32 = -1

    /// Number of live entries.
    private(set) var count: Int = 0
    var hits: Int = 0
    var misses: Int = 0
    var evictions: Int = 0
    var expirations: Int = 0
    /// In-flight computations of ``LRUCache/value(forKey:ttl:compute:)``.
    var flights: [Key: LRUCacheFlight<Value>] = [:]

    /// Creates an empty shard with room for `initialCapacity` entries before
    /// it first grows.
    init(initialCapacity: Int) {
        let slots = max(4, initialCapacity)
        slotCapacity = slots
        keys = .allocate(capacity: slots)
        values = .allocate(capacity: slots)
        links = .allocate(capacity: slots)
        let tableSize = Self.tableSize(forSlots: slots)
        table = .allocate(capacity: tableSize)
        table.initialize(repeating: 0, count: tableSize)
        tableMask = tableSize - 1
    }

    deinit {
        destroyLiveEntries()
        keys.deallocate()
        values.deallocate()
        links.deallocate()
        table.deallocate()
    }

    /// The smallest power of two at least twice `slots` (load factor ≤ 0.5).
    private static func tableSize(forSlots slots: Int) -> Int {
        var size = 8
        while size < slots * 2 { size <<= 1 }
        return size
    }

    // MARK: - Lookup

    /// The slot holding `key` and the index of its table word, or nil.
    @inline(__always)
    private func find(_ key: Key, hash: UInt32) -> (slot: Int, tableIndex: Int)? {
        var index = Int(hash) & tableMask
        while true {
            let word = table[index]
            if word == 0 { return nil }
            if UInt32(truncatingIfNeeded: word &>> 32) == hash {
                let slot = Int(UInt32(truncatingIfNeeded: word)) &- 1
                if keys[slot] == key { return (slot, index) }
            }
            index = (index &+ 1) & tableMask
        }
    }

    /// The table index of the word pointing at `slot`, which must be live.
    @inline(__always)
    private func tableIndex(ofSlot slot: Int) -> Int {
        let tag = UInt64(slot &+ 1)
        var index = Int(links[slot].hash) & tableMask
        while table[index] & 0xFFFF_FFFF != tag {
            index = (index &+ 1) & tableMask
        }
        return index
    }

    /// Looks `key` up, counting a hit or a miss, refreshing its recency on a
    /// hit and dropping it (counted as an expiration) if it has expired.
    @inline(__always)
    mutating func lookup(_ key: Key, hash: UInt32, now: UInt64) -> Lookup {
        guard let (slot, tableIndex) = find(key, hash: hash) else {
            misses &+= 1
            return .miss
        }
        if links[slot].expiry <= now {
            removeEntry(slot: slot, tableIndex: tableIndex)
            expirations &+= 1
            misses &+= 1
            return .expired
        }
        moveToFront(slot)
        hits &+= 1
        return .hit(values[slot])
    }

    /// Looks `key` up without changing anything: no stats, no recency. Safe
    /// under any one stripe lock of the shard, concurrently with other readers.
    @inline(__always)
    func peek(_ key: Key, hash: UInt32, now: UInt64) -> Peek {
        guard let (slot, _) = find(key, hash: hash) else { return .miss }
        if links[slot].expiry <= now { return .expired }
        return .hit(values[slot], event: UInt64(hash) &<< 32 | UInt64(slot))
    }

    /// Applies a hit recorded by ``peek(_:hash:now:)``: makes the entry the most
    /// recently used, unless its slot was freed or reused by another key since.
    @inline(__always)
    mutating func touch(_ event: UInt64) {
        let slot = Int(UInt32(truncatingIfNeeded: event))
        guard slot < nextUnusedSlot, links[slot].prev != Self.freed,
            links[slot].hash == UInt32(truncatingIfNeeded: event &>> 32)
        else { return }
        moveToFront(slot)
    }

    /// Whether a live, unexpired entry for `key` exists. Changes neither
    /// recency nor stats.
    func contains(_ key: Key, hash: UInt32, now: UInt64) -> Bool {
        guard let (slot, _) = find(key, hash: hash) else { return false }
        return links[slot].expiry > now
    }

    // MARK: - Update

    /// Replaces the value of an existing `key` and refreshes its recency and
    /// expiry. Returns false if the key is absent. An expired entry found
    /// here is counted as an expiration and then reused for the new value.
    @inline(__always)
    mutating func update(_ key: Key, hash: UInt32, value: Value, expiry: UInt64, now: UInt64) -> Bool {
        guard let (slot, _) = find(key, hash: hash) else { return false }
        if links[slot].expiry <= now { expirations &+= 1 }
        values[slot] = value
        links[slot].expiry = expiry
        moveToFront(slot)
        return true
    }

    /// Inserts `key`, which must be absent, as the most recently used entry.
    @inline(__always)
    mutating func insert(_ key: Key, hash: UInt32, value: Value, expiry: UInt64) {
        let slot = takeSlot()
        (keys + slot).initialize(to: key)
        (values + slot).initialize(to: value)
        links[slot] = Link(expiry: expiry, hash: hash, prev: -1, next: head)
        if head >= 0 {
            links[Int(head)].prev = Int32(truncatingIfNeeded: slot)
        } else {
            tail = Int32(truncatingIfNeeded: slot)
        }
        head = Int32(truncatingIfNeeded: slot)
        var index = Int(hash) & tableMask
        while table[index] != 0 { index = (index &+ 1) & tableMask }
        table[index] = UInt64(hash) &<< 32 | UInt64(slot &+ 1)
        count &+= 1
    }

    /// Removes `key`; returns its value if it was present and unexpired. An
    /// expired entry is still removed (and counted as an expiration).
    mutating func remove(_ key: Key, hash: UInt32, now: UInt64) -> (removed: Bool, value: Value?) {
        guard let (slot, tableIndex) = find(key, hash: hash) else { return (false, nil) }
        let expired = links[slot].expiry <= now
        let value = removeEntry(slot: slot, tableIndex: tableIndex)
        if expired {
            expirations &+= 1
            return (true, nil)
        }
        return (true, value)
    }

    /// Drops up to `limit` expired entries from the least recently used end,
    /// counting them as expirations. Returns how many were dropped.
    @inline(__always)
    mutating func dropExpiredTail(now: UInt64, limit: Int) -> Int {
        var dropped = 0
        while dropped < limit, tail >= 0, links[Int(tail)].expiry <= now {
            let slot = Int(tail)
            removeEntry(slot: slot, tableIndex: tableIndex(ofSlot: slot))
            expirations &+= 1
            dropped &+= 1
        }
        return dropped
    }

    /// Removes the least recently used entry, counted as an expiration if it
    /// had expired and as an eviction otherwise. Returns false when empty.
    @discardableResult
    mutating func evictTail(now: UInt64) -> Bool {
        guard tail >= 0 else { return false }
        let slot = Int(tail)
        if links[slot].expiry <= now { expirations &+= 1 } else { evictions &+= 1 }
        removeEntry(slot: slot, tableIndex: tableIndex(ofSlot: slot))
        return true
    }

    /// Drops every entry and zeroes the stats. Keeps the allocated memory
    /// and the in-flight computations (they finish and insert normally).
    mutating func removeAll() {
        destroyLiveEntries()
        table.update(repeating: 0, count: tableMask + 1)
        nextUnusedSlot = 0
        freeHead = -1
        head = -1
        tail = -1
        count = 0
        hits = 0
        misses = 0
        evictions = 0
        expirations = 0
    }

    /// Keys from most to least recently used, expired ones included.
    func keysByRecency() -> [Key] {
        var result: [Key] = []
        result.reserveCapacity(count)
        var slot = head
        while slot >= 0 {
            result.append(keys[Int(slot)])
            slot = links[Int(slot)].next
        }
        return result
    }

    // MARK: - Internals

    @inline(__always)
    private mutating func moveToFront(_ slot: Int) {
        let s = Int32(truncatingIfNeeded: slot)
        guard head != s else { return }
        let link = links[slot]
        // Unlink; `slot` is not the head, so it has a predecessor.
        links[Int(link.prev)].next = link.next
        if link.next >= 0 { links[Int(link.next)].prev = link.prev } else { tail = link.prev }
        // Link in front of the current head.
        links[slot].prev = -1
        links[slot].next = head
        links[Int(head)].prev = s
        head = s
    }

    @inline(__always)
    @discardableResult
    private mutating func removeEntry(slot: Int, tableIndex: Int) -> Value {
        deleteTableWord(at: tableIndex)
        let link = links[slot]
        if link.prev >= 0 { links[Int(link.prev)].next = link.next } else { head = link.next }
        if link.next >= 0 { links[Int(link.next)].prev = link.prev } else { tail = link.prev }
        (keys + slot).deinitialize(count: 1)
        let value = (values + slot).move()
        links[slot].prev = Self.freed
        links[slot].next = freeHead
        freeHead = Int32(truncatingIfNeeded: slot)
        count &-= 1
        return value
    }

    /// Backward-shift deletion: pulls later words of the probe run into the
    /// hole when their home bucket does not lie cyclically in (hole, index].
    @inline(__always)
    private mutating func deleteTableWord(at start: Int) {
        var hole = start
        var index = start
        while true {
            index = (index &+ 1) & tableMask
            let word = table[index]
            if word == 0 { break }
            let home = Int(UInt32(truncatingIfNeeded: word &>> 32)) & tableMask
            // Distance from home to index vs. from hole to index, cyclically.
            if (index &- home) & tableMask >= (index &- hole) & tableMask {
                table[hole] = word
                hole = index
            }
        }
        table[hole] = 0
    }

    @inline(__always)
    private mutating func takeSlot() -> Int {
        if freeHead >= 0 {
            let slot = Int(freeHead)
            freeHead = links[slot].next
            return slot
        }
        if nextUnusedSlot == slotCapacity { grow() }
        let slot = nextUnusedSlot
        nextUnusedSlot &+= 1
        return slot
    }

    /// Doubles the slot buffers and the table. Only called when every slot
    /// is live (the free list is empty), so all slots below `nextUnusedSlot`
    /// are initialized and move as a block.
    private mutating func grow() {
        let newCapacity = slotCapacity * 2
        precondition(newCapacity < Int(Int32.max), "LRUCache shard exceeds Int32 slots")
        let newKeys = UnsafeMutablePointer<Key>.allocate(capacity: newCapacity)
        let newValues = UnsafeMutablePointer<Value>.allocate(capacity: newCapacity)
        let newLinks = UnsafeMutablePointer<Link>.allocate(capacity: newCapacity)
        newKeys.moveInitialize(from: keys, count: nextUnusedSlot)
        newValues.moveInitialize(from: values, count: nextUnusedSlot)
        newLinks.moveInitialize(from: links, count: nextUnusedSlot)
        keys.deallocate()
        values.deallocate()
        links.deallocate()
        keys = newKeys
        values = newValues
        links = newLinks
        slotCapacity = newCapacity

        let newTableSize = Self.tableSize(forSlots: newCapacity)
        if newTableSize > tableMask + 1 {
            let newTable = UnsafeMutablePointer<UInt64>.allocate(capacity: newTableSize)
            newTable.initialize(repeating: 0, count: newTableSize)
            let newMask = newTableSize - 1
            for i in 0...tableMask {
                let word = table[i]
                if word == 0 { continue }
                var index = Int(UInt32(truncatingIfNeeded: word &>> 32)) & newMask
                while newTable[index] != 0 { index = (index &+ 1) & newMask }
                newTable[index] = word
            }
            table.deallocate()
            table = newTable
            tableMask = newMask
        }
    }

    /// Deinitializes the keys and values of live slots (walks the LRU list).
    private func destroyLiveEntries() {
        var slot = head
        while slot >= 0 {
            (keys + Int(slot)).deinitialize(count: 1)
            (values + Int(slot)).deinitialize(count: 1)
            slot = links[Int(slot)].next
        }
    }
}
