#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import PeftPerfCore

/// The `peft-perf` command line: parse, dispatch, render, exit. The
/// measuring lives in PeftPerfCore; the executable target only calls
/// ``main()``.
public enum PeftPerf {
    /// Runs the command line of this process and exits with its status.
    public static func main() -> Never {
        SignalHandling.install()
        // A file-size limit (RLIMIT_FSIZE, `ulimit -f`) sends SIGXFSZ when a
        // write would pass it, and its default action kills the process (with
        // a core) in the middle of a store transaction. Ignored, the write
        // fails with EFBIG instead, SQLite rolls the transaction back and
        // reports it, and the command says so and exits 1 like on a full disk.
        signal(SIGXFSZ, SIG_IGN)
        // `CommandLine.arguments` repairs invalid UTF-8 with U+FFFD, which would turn a
        // path into another file's name: refuse such an argument instead.
        for index in 1..<Int(CommandLine.argc) {
            if let raw = CommandLine.unsafeArgv[index], String(validatingCString: raw) == nil {
                var stream = StandardStream.error
                stream.write(
                    "peft-perf: error: argument \(index) is not valid UTF-8; peft-perf takes UTF-8 names and paths only\n"
                )
                exit(ExitStatus.usage.rawValue)
            }
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        let status = CommandRunner(environment: currentEnvironment()).run(arguments)
        exit(status)
    }

    /// The process environment, read without Foundation.
    static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
