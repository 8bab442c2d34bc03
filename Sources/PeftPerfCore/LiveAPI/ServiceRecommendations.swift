/// `GET /api/performance/recommendations`: `{"recommendations": [text], "count"}`.
public struct ServiceRecommendations: ServiceBody, Equatable {
    public var recommendations: [String]

    public init(json: LiveJSONField) throws(LiveAPIShapeError) {
        var texts: [String] = []
        for item in try json.member("recommendations").elements() {
            texts.append(try item.string())
        }
        self.recommendations = texts
    }
}
