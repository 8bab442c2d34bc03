/// Suggestions for misspelled commands and options.
enum EditDistance {
    /// Levenshtein distance between two strings.
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The closest candidate at an edit distance under 4 (as swift-argument-
    /// parser does) and at most half the word's length, so that short typos
    /// do not suggest unrelated names; or a candidate that starts with
    /// `word`; nil otherwise.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        guard !word.isEmpty, word.count < 256 else { return nil }
        let scored = candidates.map { ($0, between(word, $0)) }
        if let best = scored.min(by: { $0.1 < $1.1 }), best.1 < 4, best.1 <= max(1, word.count / 2) {
            return best.0
        }
        return candidates.first { $0.hasPrefix(word) }
    }
}
