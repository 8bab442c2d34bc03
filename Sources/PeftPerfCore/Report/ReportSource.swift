/// Where a report's figures come from: the one top-level `source` object of
/// every JSON report, so that a script can tell the local store from a
/// running service without knowing which command it ran.
///
/// - `{"kind": "store"}`: peft-perf's own store (what `record`, `bench` and
///   probes wrote, and the report cache), plus the `--db` file where the
///   command reads one.
/// - `{"kind": "host"}`: this machine, sampled now (`system`).
/// - `{"kind": "measurement"}`: a run measured now (`bench`).
/// - `{"kind": "api", "url": …}`: a running service's performance API; the
///   URL's user and password are redacted before they get here.
public enum ReportSource: Sendable, Equatable, Encodable {
    case store
    case host
    case measurement
    case api(url: String)

    /// The `kind` value.
    public var kind: String {
        switch self {
        case .store: "store"
        case .host: "host"
        case .measurement: "measurement"
        case .api: "api"
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, url
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(self.kind, forKey: .kind)
        if case .api(let url) = self {
            try c.encode(Redaction.redactURL(url), forKey: .url)
        }
    }
}
