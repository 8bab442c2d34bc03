import PeftPerfCore

/// Parses, dispatches, and maps every outcome to an exit status, in one place.
struct CommandRunner {
    static let version = "0.1.0"

    let environment: [String: String]

    /// Runs one invocation and returns the process exit status.
    func run(_ argv: [String]) -> Int32 {
        let stdoutIsTerminal = StandardStream.output.isTerminal
        // Until the options are parsed, honour -q for usage errors too.
        let quiet = argv.prefix { $0 != "--" }.contains { $0 == "-q" || $0 == "--quiet" }
        var console = Console(verbosity: quiet ? .quiet : .normal, useColor: false)
        let status: ExitStatus
        do {
            let invocation = try ArgumentParser(version: Self.version).parse(argv)
            let global = try GlobalOptions(
                arguments: invocation.arguments, command: invocation.command, environment: self.environment,
                stdoutIsTerminal: stdoutIsTerminal)
            console = Console(verbosity: global.verbosity, useColor: global.useColor)
            let sink = try OutputSink(
                path: global.outputPath, option: "output", timeoutSeconds: global.timeoutSeconds)
            let context = CommandContext(
                command: invocation.command, global: global, arguments: invocation.arguments, console: console,
                environment: self.environment, sink: sink)
            guard let handler = invocation.command.handler else { return ExitStatus.usage.rawValue }
            do {
                let result = try handler(context)
                // A handler that returns has written a whole report, even
                // after Ctrl-C (the report of what ran): publish it, then
                // exit 130 below. Interrupted before writing anything, it has
                // no report: the file stays as it was.
                if InterruptFlag.isRaised && !sink.hasWritten {
                    sink.discard()
                } else {
                    try sink.commit()
                }
                status = result
            } catch {
                sink.discard()
                throw error
            }
        } catch let exit as CleanExit {
            do {
                try StandardStream.output.writeAll(exit.text)
            } catch {}
            return ExitStatus.success.rawValue
        } catch let error as UsageError {
            console.error(error.message)
            if let hint = error.hint { console.note(hint) }
            return ExitStatus.usage.rawValue
        } catch is BrokenPipe {
            return InterruptFlag.isRaised ? InterruptFlag.exitStatus : ExitStatus.success.rawValue
        } catch {
            if InterruptFlag.isRaised { return InterruptFlag.exitStatus }
            console.error(String(describing: error))
            return ExitStatus.failure.rawValue
        }
        // Ctrl-C and SIGTERM take precedence over any other outcome (130, 143).
        return InterruptFlag.isRaised ? InterruptFlag.exitStatus : status.rawValue
    }
}
