/// One value of a service's JSON body with its path from the root, read as a
/// typed value or failing with a ``LiveAPIShapeError`` that names the field.
///
/// Unknown members are never looked at, so a newer service that adds fields
/// still reads.
public struct LiveJSONField: Sendable {
    public let value: LiveJSON
    /// `cache.hit_rate`; empty for the root.
    public let path: String

    public init(_ value: LiveJSON, path: String = "") {
        self.value = value
        self.path = path
    }

    func mismatch(_ expected: String) -> LiveAPIShapeError {
        LiveAPIShapeError(path: self.path, problem: "expected \(expected), got \(self.value.shown)")
    }

    private func childPath(_ key: String) -> String { self.path.isEmpty ? key : "\(self.path).\(key)" }

    /// The members of an object.
    public func members() throws(LiveAPIShapeError) -> [String: LiveJSON] {
        guard case .object(let members) = self.value else { throw self.mismatch("an object") }
        return members
    }

    /// The member `key`, which must be there (null counts as there).
    public func member(_ key: String) throws(LiveAPIShapeError) -> LiveJSONField {
        guard let value = try self.members()[key] else {
            throw LiveAPIShapeError(path: self.childPath(key), problem: "missing")
        }
        return LiveJSONField(value, path: self.childPath(key))
    }

    /// The member `key`, or nil when it is absent or null.
    public func optionalMember(_ key: String) throws(LiveAPIShapeError) -> LiveJSONField? {
        guard let value = try self.members()[key], value != .null else { return nil }
        return LiveJSONField(value, path: self.childPath(key))
    }

    /// A finite number.
    public func number() throws(LiveAPIShapeError) -> Double {
        guard case .number(let number) = self.value, number.isFinite else { throw self.mismatch("a number") }
        return number
    }

    /// A whole number of zero or more (a count).
    public func count() throws(LiveAPIShapeError) -> UInt64 {
        guard case .number(let number) = self.value, number.isFinite, number >= 0, number < 1.8e19,
            number.rounded(.towardZero) == number
        else { throw self.mismatch("a whole number of 0 or more") }
        return UInt64(number)
    }

    /// A whole number that fits an `Int`, zero or more.
    public func int() throws(LiveAPIShapeError) -> Int {
        let count = try self.count()
        guard count <= UInt64(Int.max) else { throw self.mismatch("a whole number of 0 or more") }
        return Int(count)
    }

    /// A string.
    public func string() throws(LiveAPIShapeError) -> String {
        guard case .string(let text) = self.value else { throw self.mismatch("a string") }
        return text
    }

    /// The elements of an array, each with its index in its path.
    public func elements() throws(LiveAPIShapeError) -> [LiveJSONField] {
        guard case .array(let items) = self.value else { throw self.mismatch("an array") }
        return items.enumerated().map { LiveJSONField($0.element, path: "\(self.path)[\($0.offset)]") }
    }
}
