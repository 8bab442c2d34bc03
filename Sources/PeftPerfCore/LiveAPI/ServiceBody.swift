/// A body of PEFT Studio's performance API, read from its JSON.
///
/// Reading names the first missing or mistyped field
/// (``LiveAPIShapeError``) and ignores unknown ones.
public protocol ServiceBody: Sendable {
    init(json: LiveJSONField) throws(LiveAPIShapeError)
}
