public import PeftPerfCore

/// A small, bounded bench run against a fresh fault-route loopback server
/// (``HTTPFaultRoutes``): 2 connections on 1 thread, a fixed request count,
/// no duration. For tests of what reads a real ``HTTPBenchResult``.
public enum SmallBenchRun {
    /// Runs `requests` requests to `path` and returns the configuration with its result.
    public static func run(_ path: String = "/", requests: Int = 50) throws -> (
        HTTPBenchConfiguration, HTTPBenchResult
    ) {
        let server = try HTTPLoopbackServer(faults: .init())
        defer { server.stop() }
        var configuration = HTTPBenchConfiguration(targets: [try HTTPURL(server.baseURL + path)])
        configuration.connections = 2
        configuration.threads = 1
        configuration.durationSeconds = nil
        configuration.requests = requests
        return (configuration, try HTTPBenchEngine.run(configuration))
    }
}
