import PeftPerfCore

/// The `--api` client of one invocation.
enum LiveAPIConnection {
    /// The client for `--api` (or `PEFT_PERF_API`), or nil to read the store.
    ///
    /// - Throws: ``UsageError`` for a bad `--api-header` or base URL.
    static func client(_ context: CommandContext) throws -> LiveAPIClient? {
        guard let url = context.global.api else {
            if !context.global.apiHeaders.isEmpty {
                throw UsageError("--api-header needs --api (or PEFT_PERF_API)")
            }
            return nil
        }
        var headers: [HTTPHeader] = []
        for text in context.global.apiHeaders {
            do {
                headers.append(try HTTPHeader(parsing: text))
            } catch {
                throw UsageError("--api-header: \(error)")
            }
        }
        do {
            return try LiveAPIClient(baseURL: url, headers: headers, timeoutSeconds: context.global.timeoutSeconds)
        } catch {
            if error.isUsageError { throw UsageError(error.description) }
            throw error
        }
    }

    /// The report's `source` for `client`.
    static func source(_ client: LiveAPIClient) -> ReportSource { .api(url: client.displayURL) }
}
