/// `DELETE /api/performance/cache/clear`: `{"message": "Cache cleared successfully"}`.
public struct ServiceCacheClear: ServiceBody, Equatable {
    public var message: String

    public init(json: LiveJSONField) throws(LiveAPIShapeError) {
        self.message = try json.optionalMember("message")?.string() ?? ""
    }
}
