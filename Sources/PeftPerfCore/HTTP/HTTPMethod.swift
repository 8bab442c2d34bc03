/// The request methods the pool and `bench` support.
public enum HTTPMethod: String, Sendable, CaseIterable, Codable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case delete = "DELETE"

    /// Parses a method name, case-insensitively.
    /// - Throws: ``ValueParseError`` listing the supported methods.
    public init(parsing text: String) throws(ValueParseError) {
        guard let method = HTTPMethod(rawValue: text.uppercased()) else {
            throw ValueParseError("'\(text)' is not a supported method (use GET, POST, PUT or DELETE)")
        }
        self = method
    }
}
