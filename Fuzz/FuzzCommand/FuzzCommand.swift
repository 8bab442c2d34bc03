// The libFuzzer target FuzzCommand: whole commands of the command table, run
// in-process through `CommandRunner.run` (the entry `PeftPerf.main` calls,
// which returns the exit status instead of exiting).
//
// Input format: byte 0 picks a command; then each step reads one byte `op`:
//   op % 8 in 0...4  an option of the command or a global one (next byte),
//                    its spelling (long, `--name=value`, short) and a value
//                    mode (next byte: typical, bounds, out of range,
//                    negative, huge, empty, NUL, bad duration, bad
//                    percentage, bad URL, raw bytes);
//   op % 8 == 5      a positional from the command's pool (next byte);
//   op % 8 == 6      an unknown option or a typo of a real one (next byte);
//   op % 8 == 7      a raw argument: a length byte (mod 64), then that many
//                    bytes; `@T` in them stands for the temp dir.
// The argv is `COMMAND --store S --timeout 200ms` then the steps (`bench`
// starts with `--url http://127.0.0.1:1/ -d 5ms -c 1 -t 1 --rows 100` too).
//
// Safety (a fuzz run writes only in its temp dir and sends nothing but to
// 127.0.0.1:1, which refuses at once): before running, the argv is parsed
// and the invocation vetted; an input whose invocation would break one of
// these rules is rejected (-1), so a raw argument cannot sneak one in:
//   - every path (any option of kind .path or .directory, such as
//     `--store`, `--db`, `-o`, `--junit`, `--workload-from`, and the
//     positionals) is empty or inside the temp dir (no `..`), created once
//     per process with a small fixture SQLite database and files, and
//     removed at exit; `--url`/`--api` values are the pool's (loopback port
//     1, or not http); a `--routes` or `routes import` SOURCE is a path or
//     one of those URLs;
//   - `--timeout` stays 200ms; `system --interval` at most 5ms; `metrics
//     --probe` at most 5.
//   - `bench` always has a `--url` (loopback port 1, so it never runs the
//     default suite, whose scratch database and built-in server are slow),
//     and runs at most 5ms (`-d`, `--warmup`), 100 requests, 2 connections
//     and 2 threads, a scratch database of at most 1000 rows, and no
//     `--suite` but `http`: the cache suite is a fixed workload (3 runs of
//     1M operations) that ignores `-d` and takes minutes under ASan, the db
//     suite builds and loads a scratch database.
// Excluded commands: `__generate` (writes the docs; no hostile input of
// interest), and `record` without a FILE or with `-` (it would block on
// stdin: a `record` invocation must name a file of the temp dir).
//
// The checks: no trap (libFuzzer catches it), the status is 0, 1 or 2, a
// command line the parser (or the global options) refuses exits 2, and
// `--help`/`--version` exit 0.
// Stdout and stderr go to /dev/null while a command runs; set
// FUZZ_COMMAND_SHOW_OUTPUT=1 to see them when replaying an input, and
// FUZZ_COMMAND_PRINT_ARGV=1 to print each argv the target runs.
#if canImport(Glibc)
    @preconcurrency import Glibc
#endif
import FuzzSupport
import PeftPerfCore

@testable import PeftPerfCLI

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzCommand(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var reader = CommandFuzzing.Reader(bytes: Array(UnsafeBufferPointer(start: data, count: size)))
    let argv = CommandFuzzing.argv(&reader)
    guard let expected = CommandFuzzing.vet(argv) else {
        if CommandFuzzing.printArgv { print("FuzzCommand rejected: \(argv)") }
        return -1
    }
    let status = CommandFuzzing.run(argv)
    precondition([0, 1, 2].contains(status), "\(argv) exited \(status)")
    if let expected { precondition(status == expected, "\(argv) exited \(status), expected \(expected)") }
    return 0
}

@_cdecl("FuzzCommand_main")
func fuzzCommandMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzCommand)
}

/// The argv builder, the vetting and the run behind FuzzCommand.
enum CommandFuzzing {
    /// Reads the input byte by byte; 0 once it is used up.
    struct Reader {
        let bytes: [UInt8]
        var index = 0
        var isAtEnd: Bool { self.index >= self.bytes.count }
        mutating func byte() -> UInt8 {
            guard self.index < self.bytes.count else { return 0 }
            defer { self.index += 1 }
            return self.bytes[self.index]
        }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(self.byte()) % items.count] }
        mutating func raw() -> String {
            let count = Int(self.byte()) % 64
            let end = min(self.bytes.count, self.index + count)
            defer { self.index = end }
            let text = String(decoding: self.bytes[self.index..<end], as: UTF8.self)
            // `@T` stands for the temp dir, so that seeds can name its files.
            return text.replacing("@T", with: CommandFuzzing.root)
        }
    }

    /// The temp dir of this process, with its fixtures.
    static let root: String = {
        var template = Array("/tmp/peft-fuzz-command.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { preconditionFailure("mkdtemp failed") }
        let root = String(cString: made)
        let db = try! SQLiteConnection(path: root + "/app.sqlite")
        try! db.execute(
            """
            CREATE TABLE training_runs (id VARCHAR(36) NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL,
              status VARCHAR(32) NOT NULL, created_at DATETIME NOT NULL, metrics JSON);
            CREATE INDEX ix_training_runs_status ON training_runs (status);
            INSERT INTO training_runs VALUES ('8f14e45f-ceea-467f-a8f4-4c5ad7e1c9a1', 'run 1', 'running',
              '2026-12-01 10:00:00', '{"loss": 0.5}'), ('c9f0f895-fb98-4b91-9a8e-6b7a3a8c2d11', 'run 2',
              'failed', '2026-12-02 10:00:00', NULL);
            """)
        Self.write(root + "/garbage.bin", "SQLite format 3\0\u{1}\u{2}not a database at all\u{FF}")
        Self.write(root + "/empty", "")
        Self.write(
            root + "/events.jsonl",
            """
            {"type":"request","endpoint":"GET /api/runs/12","duration_ms":12.5,"status":200}
            {"type":"query","sql":"SELECT * FROM training_runs WHERE id = ?","duration_ms":1e2}
            {"type":"request","endpoint":"GET http://u:pw@127.0.0.1:1/a","duration_ms":-1}
            not json\u{0}

            """)
        Self.write(root + "/openapi.json", #"{"openapi":"3.0.0","paths":{"/api/runs/{run_id}":{"get":{}}}}"#)
        _ = mkdir(root + "/dir", 0o700)
        atexit { CommandFuzzing.remove(CommandFuzzing.root) }
        return root
    }()

    /// Removes the directory `path` and everything in it; a symbolic link
    /// is removed, never followed (d_type comes from the entry itself).
    static func remove(_ path: String) {
        guard let dir = opendir(path) else { return }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) {
                String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            if entry.pointee.d_type == UInt8(DT_DIR) {
                self.remove(path + "/" + name)
            } else {
                _ = unlink(path + "/" + name)
            }
        }
        closedir(dir)
        _ = rmdir(path)
    }

    static func write(_ path: String, _ text: String) {
        guard let file = fopen(path, "wb") else { preconditionFailure("cannot create \(path)") }
        _ = Array(text.utf8).withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }

    static var store: String { root + "/store.sqlite" }
    static let loopback = "http://127.0.0.1:1/"

    /// Every path a command may be given, all inside the temp dir.
    static let paths: [String] = [
        root + "/store.sqlite", root + "/app.sqlite", root + "/garbage.bin", root + "/empty",
        root + "/events.jsonl", root + "/openapi.json", root + "/dir", root, root + "/missing.sqlite",
        root + "/dir/out.txt", root + "/out.txt", root + "/no-dir/out.txt", root + "/out\u{0}.txt",
        root + "/-o", root + "/ space\t\u{1B}[31m", "",
    ]
    /// Every URL a command may be given: loopback port 1, or not http.
    static let urls: [String] = [
        loopback, loopback + "metrics", "http://u:secret@127.0.0.1:1/a?b=c#d", "https://127.0.0.1:1/",
        "HTTP://127.0.0.1:1", "http://[::1]:1/", "http://127.0.0.1:1/\u{0}", "ftp://127.0.0.1:1/",
        "http://", "http://[", "127.0.0.1:1", "", "file:///etc/passwd", "javascript:alert(1)",
    ]

    /// Whether `value` is a path inside the temp dir (or empty, which the
    /// parser refuses).
    static func isPath(_ value: String) -> Bool {
        value.isEmpty || (value.hasPrefix(root + "/") && !value.contains(".."))
    }

    /// Whether `value` is a path inside the temp dir or an http(s) URL of
    /// the pool (all loopback port 1).
    static func isSource(_ value: String) -> Bool {
        self.isPath(value) || (self.urls.contains(value) && value.lowercased().hasPrefix("http"))
    }

    /// Options whose values are paths, drawn from the pool.
    static let pathOptions: Set<String> = [
        "db", "store", "output", "workload-from", "junit", "markdown", "baseline", "cacert", "body", "path",
    ]

    /// The commands run; see the header for the excluded ones.
    static let commands: [CommandSpec] = CommandTable.commands.filter {
        !$0.isGroup && $0.path != ["__generate"]
    }

    static func argv(_ reader: inout Reader) -> [String] {
        let command = reader.pick(commands)
        let options = (command.options + CommandTable.globalOptions).filter { $0.long != "timeout" }
        var argv = command.path + ["--store", store, "--timeout", "200ms"]
        if command.path == ["bench"] {
            argv += ["--url", loopback, "-d", "5ms", "-c", "1", "-t", "1", "--rows", "100"]
        }
        var steps = 0
        while !reader.isAtEnd && steps < 24 {
            steps += 1
            let op = reader.byte() % 8
            switch op {
            case 0...4:
                let spec = reader.pick(options)
                let form = reader.byte() % 3
                guard spec.takesValue else {
                    argv.append(form == 2 && spec.short != nil ? "-\(spec.short!)" : "--\(spec.long)")
                    continue
                }
                let value = self.value(for: spec, &reader)
                switch form {
                case 0: argv.append("--\(spec.long)=\(value)")
                case 1: argv += ["--\(spec.long)", value]
                default: argv += [spec.short.map { "-\($0)" } ?? "--\(spec.long)", value]
                }
            case 5:
                argv.append(self.positional(for: command, &reader))
            case 6:
                argv.append(self.unknownOption(from: reader.pick(options).long, &reader))
            default:
                argv.append(reader.raw())
            }
        }
        return argv
    }

    static func positional(for command: CommandSpec, _ reader: inout Reader) -> String {
        switch command.path {
        case ["routes"]: reader.pick(["import", "clear", "list", loopback + "openapi.json"] + paths)
        case ["help"]: reader.pick(CommandTable.commands.flatMap(\.path) + ["nope", "db slow", "", "\u{0}"])
        default: reader.pick(paths + ["-", "--", "extra"])
        }
    }

    static func unknownOption(from name: String, _ reader: inout Reader) -> String {
        var letters = Array(name)
        let at = Int(reader.byte()) % max(letters.count, 1)
        switch reader.byte() % 6 {
        case 0: if !letters.isEmpty { letters.remove(at: at) }
        case 1: if at + 1 < letters.count { letters.swapAt(at, at + 1) }
        case 2: letters.insert("x", at: at)
        case 3: return "-\(name)"
        case 4: return reader.pick(["--nope", "-Z", "---", "--=", "-", "--\u{0}", "--db\u{0}x", "-qZ", "-o"])
        default: return "--\(String(letters).uppercased())"
        }
        return "--" + String(letters)
    }

    /// A value for `spec`, by the mode the next byte picks.
    static func value(for spec: OptionSpec, _ reader: inout Reader) -> String {
        if spec.kind == .url { return reader.pick(urls) }
        if self.pathOptions.contains(spec.long) { return reader.pick(paths) }
        if spec.long == "routes" { return reader.pick(paths + urls) }
        let mode = reader.byte() % 12
        switch mode {
        case 0: return self.typical(spec, &reader)
        case 1, 2: return self.bound(spec.kind, upper: mode == 2) ?? self.typical(spec, &reader)
        case 3: return reader.pick(["10001", "1000000001", "8d", "36501d", "1001%", "11", "2h", "2147483648"])
        case 4: return reader.pick(["-1", "-5s", "-0", "-1%", "-0.5", "-9223372036854775808", "−1"])
        case 5: return reader.pick(["9223372036854775808", String(repeating: "9", count: 400), "1e308s", "1e400"])
        case 6: return ""
        case 7: return reader.pick(["1\u{0}0", "\u{0}", "5ms\u{0}", "abc\u{0}def", "10%\u{0}"])
        case 8: return reader.pick(["5", "5 s", "5x", "ms", "1.5.5s", "nans", "infs", "1h30", "0x10s", "٣s"])
        case 9: return reader.pick(["101%", "%", "nan%", "-0%", "1e9%", "5 %", "0.5%%", "1.01", "inf"])
        case 10: return reader.pick(urls)
        default: return reader.raw()
        }
    }

    static func typical(_ spec: OptionSpec, _ reader: inout Reader) -> String {
        switch spec.kind {
        case .choice(let words): return reader.pick(words + ["", "JSON", "tabl"])
        case .duration: return reader.pick(["0", "1ms", "5ms", "0.001s", spec.defaultValue ?? "1s"])
        case .percentage: return reader.pick(["0", "1%", "0.5", "10%", spec.defaultValue ?? "5%"])
        case .integer(let range): return String(reader.pick([range.lowerBound, range.lowerBound + 1, 5]))
        default:
            return reader.pick([
                "x", "status=running", "slow_query.threshold_ms=5", "Authorization: Bearer secret",
                "p99 < 200ms", "SELECT * FROM training_runs", "run_id", "8f14e45f-ceea-467f-a8f4-4c5ad7e1c9a1",
                " ", "\u{1B}[2J", "a=b=c",
            ])
        }
    }

    static func bound(_ kind: ValueKind?, upper: Bool) -> String? {
        switch kind {
        case .integer(let range): String(upper ? range.upperBound : range.lowerBound)
        case .duration(let range): "\(upper ? range.upperBound : range.lowerBound)s"
        case .percentage(let range): "\(100 * (upper ? range.upperBound : range.lowerBound))%"
        default: nil
        }
    }

    /// Parses `argv` as the runner will, and returns nil (reject) when its
    /// invocation would break a safety rule of the header, else the status
    /// the outcome of the parse requires (2 for a usage error, 0 for help
    /// or the version), or .some(nil) when any of 0, 1, 2 is fine.
    static func vet(_ argv: [String]) -> Int32?? {
        let invocation: ArgumentParser.Invocation
        do {
            invocation = try ArgumentParser(version: CommandRunner.version).parse(argv)
        } catch is CleanExit {
            return .some(0)
        } catch is UsageError {
            return .some(2)
        } catch {
            preconditionFailure("parse(\(argv)) threw an undocumented error: \(error)")
        }
        let arguments = invocation.arguments
        // The runner resolves the global options next; a usage error there exits 2 as well.
        do {
            _ = try GlobalOptions(
                arguments: arguments, command: invocation.command, environment: self.environment,
                stdoutIsTerminal: false)
        } catch is UsageError {
            return .some(2)
        } catch {
            preconditionFailure("GlobalOptions threw an undocumented error for \(argv): \(error)")
        }
        for (name, value) in arguments.occurrences {
            guard let value else { continue }
            let spec = (invocation.command.options + CommandTable.globalOptions).first { $0.long == name }
            if spec?.kind == .url, !self.urls.contains(value) { return nil }
            let isPathKind = spec?.kind == .path || spec?.kind == .directory
            if isPathKind || self.pathOptions.contains(name), !self.isPath(value) { return nil }
            if name == "routes", !self.isSource(value) { return nil }
            if name == "timeout", value != "200ms" { return nil }
        }
        if let interval = arguments.duration("interval"), interval > 0.005 { return nil }
        if let probe = arguments.int("probe"), probe > 5 { return nil }
        if invocation.command.path == ["bench"] {
            guard arguments.has("url"), let duration = arguments.duration("duration"), duration <= 0.005,
                (arguments.duration("warmup") ?? 0) <= 0.005, (arguments.int("requests") ?? 0) <= 100,
                (arguments.int("concurrency") ?? 0) <= 2, (arguments.int("threads") ?? 0) <= 2,
                (arguments.int("rows") ?? 0) <= 1000, arguments.strings("suite").allSatisfy({ $0 == "http" })
            else { return nil }
        }
        let positionals = arguments.positionals
        switch invocation.command.path {
        case ["help"]: break
        case ["routes"]:
            // An action word, or a SOURCE: a path or URL of the pools.
            for word in positionals where word.contains("/") || word.contains(":") || word == "-" {
                if !self.isSource(word) { return nil }
            }
        case ["record"]:
            guard let file = positionals.first, file != "-" else { return nil }
            if !positionals.allSatisfy(self.isPath) { return nil }
        default:
            if !positionals.allSatisfy(self.isPath) { return nil }
        }
        return .some(nil)
    }

    static let showOutput = getenv("FUZZ_COMMAND_SHOW_OUTPUT") != nil
    static let printArgv = getenv("FUZZ_COMMAND_PRINT_ARGV") != nil
    static let devNull = open("/dev/null", O_WRONLY)
    static let environment = [
        "HOME": root, "TERM": "dumb", "PEFT_PERF_URLS": loopback, "PEFT_PERF_STORE": root + "/store.sqlite",
        "COLUMNS": "80",
    ]

    /// Runs `argv` in-process, its output sent to /dev/null.
    static func run(_ argv: [String]) -> Int32 {
        if self.printArgv {
            var stream = StandardStream.error
            stream.write("FuzzCommand argv: \(argv.map { String(reflecting: $0) }.joined(separator: " "))\n")
        }
        if self.showOutput { return CommandRunner(environment: self.environment).run(argv) }
        let savedOut = dup(1)
        let savedErr = dup(2)
        dup2(self.devNull, 1)
        dup2(self.devNull, 2)
        defer {
            dup2(savedOut, 1)
            dup2(savedErr, 2)
            close(savedOut)
            close(savedErr)
        }
        return CommandRunner(environment: self.environment).run(argv)
    }
}
