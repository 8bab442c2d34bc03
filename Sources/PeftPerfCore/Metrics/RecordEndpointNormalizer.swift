/// The endpoint normalizer `record` calls: ``EndpointNormalizer/normalize(_:)``,
/// which works on UTF-8 bytes in one pass and allocates nothing when the name
/// is already normal.
///
/// `record` normalizes one endpoint per line, and endpoints carrying ids
/// (`GET /api/runs/48213`) are mostly distinct, so a cache does not help; the
/// monitor's normalizer used to work on `Substring`s and cost over half of
/// `record`'s time, so `record` had a byte-level copy of it here. Now that the
/// normalizer itself is byte-level (which also made it idempotent), there is
/// one implementation, and this name stays for the callers and the fuzz targets.
enum RecordEndpointNormalizer {
    @inline(__always)
    static func normalize(_ endpoint: String) -> String {
        EndpointNormalizer.normalize(endpoint)
    }

    /// Normalizes straight from UTF-8 bytes (an input buffer), without first
    /// building a `String` of the raw endpoint.
    ///
    /// - Precondition: `bytes` is valid UTF-8.
    static func normalize(validUTF8 bytes: UnsafeBufferPointer<UInt8>) -> String {
        EndpointNormalizer.normalized(validUTF8: bytes) ?? String(decoding: bytes, as: UTF8.self)
    }
}
