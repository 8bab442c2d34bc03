/// A route source (an OpenAPI document or a template file) that cannot be used.
///
/// The message names the source and, for a template file, the line.
public struct RouteSourceError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
