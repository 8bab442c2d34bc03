/// The Pushgateway refused a push.
public struct HTTPBenchPushGatewayError: Error, CustomStringConvertible, Sendable {
    public let url: String
    public let status: Int
    public var description: String { "Pushgateway \(self.url) answered HTTP \(self.status)" }
}
