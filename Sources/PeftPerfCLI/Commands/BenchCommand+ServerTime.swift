import PeftPerfCore

extension PeftPerf.BenchCommand {
    /// `bench --url U --api BASE`: the service's `/api/performance/endpoints`
    /// read before the load and after it, to put the handler time the service
    /// measured beside the latency the bench saw (``HTTPBenchServerTime``).
    ///
    /// Only `--api` on the command line turns it on: `PEFT_PERF_API` in the
    /// environment does not change what a bench measures.
    struct ServerTimeReader {
        let client: LiveAPIClient
        let before: [ServiceEndpoint]

        /// Reads the "before" figures; nil without `--api` on the command line.
        ///
        /// - Throws: a ``UsageError`` with the built-in target (no service to
        ///   compare with); ``LiveAPIError`` when the API cannot be read.
        static func start(_ context: CommandContext, builtin: Bool) throws -> ServerTimeReader? {
            guard context.global.apiOnCommandLine else { return nil }
            if builtin {
                throw UsageError(
                    "--api compares the service's handler time with a load on it, and this run has no --url",
                    hint: "add --url with the service's endpoints to load")
            }
            guard let client = try LiveAPIConnection.client(context) else { return nil }
            return ServerTimeReader(client: client, before: try Self.read(client))
        }

        /// Reads the "after" figures and compares them with the run.
        func finish(configuration: HTTPBenchConfiguration, result: HTTPBenchResult) throws -> HTTPBenchServerTime {
            let after = try Self.read(self.client)
            let clients = zip(configuration.targets, result.targets).map { url, statistics in
                HTTPBenchServerTime.ClientFigure(
                    url: url, method: configuration.method, requests: statistics.requests,
                    // From send to response: what the server's clock can be set against.
                    meanSeconds: (statistics.latencyUncorrectedSeconds ?? statistics.latencySeconds).mean)
            }
            return HTTPBenchServerTime(
                apiURL: self.client.displayURL, clients: clients, before: self.before, after: after,
                warmup: configuration.warmupSeconds > 0)
        }

        static func read(_ client: LiveAPIClient) throws -> [ServiceEndpoint] {
            try client.fetch(.endpoints, as: ServiceEndpoints.self).body.slowestEndpoints
        }
    }

    /// The table section: client beside server, per endpoint, and the notes.
    static func renderServerTime(_ comparison: HTTPBenchServerTime) -> String {
        var out = "\nclient vs server (the service's own handler time, \(TerminalText.escaped(comparison.apiURL))):\n"
        var table = TextTable(
            headers: ["endpoint", "client req", "server req", "client mean", "server mean", "outside handler"],
            rightAligned: [1, 2, 3, 4, 5])
        for endpoint in comparison.endpoints {
            table.addRow([
                TerminalText.escaped(endpoint.endpoint), String(endpoint.clientRequests),
                endpoint.serverRequests.map { String($0) } ?? "-", Format.duration(endpoint.clientMeanSeconds),
                Format.duration(endpoint.serverMeanSeconds), Format.duration(endpoint.outsideHandlerSeconds),
            ])
        }
        out += table.render()
        for endpoint in comparison.endpoints {
            for note in endpoint.notes { out += "note: \(TerminalText.escaped(endpoint.endpoint)): \(note)\n" }
        }
        for note in comparison.notes { out += "note: \(note)\n" }
        out +=
            "outside handler = client mean - server mean: queueing in the server, network, (de)serialization\n"
        return out
    }
}
