import Foundation
import PeftPerfCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The store never lands where another user controls it (issue 12, section 5),
/// through the binary.
///
/// - Without `HOME` (unset or empty) the default comes from the password
///   database, never `/tmp`; with no home there either, commands that need the
///   store exit 2 naming `--store`, and the others still run.
/// - The default location is created 0700 (every directory made) with the
///   store 0600, whatever the umask; SQLite gives `-wal`/`-shm` the same mode.
/// - A store whose directory is world-writable without the sticky bit is
///   refused (exit 1), named or default, `--store` or `PEFT_PERF_STORE`; a
///   sticky one (like `/tmp`) or a group-writable one is accepted.
/// - A default store directory that another user made first is refused.
@Suite struct StoreLocationTests {
    /// Runs the binary with exactly `environment` (no HOME unless given).
    static func run(
        _ arguments: [String], environment: [String: String], wrapper: [String] = [], directory: URL? = nil
    ) throws -> ExternalTool.Output {
        var env = environment
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let argv = wrapper + [CLIHarness.binaryURL.path] + arguments
        if let directory {
            return try ExternalTool.run(
                "/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", directory.path] + argv, input: nil,
                environment: env, timeout: 60)
        }
        return try ExternalTool.run(argv[0], Array(argv.dropFirst()), input: nil, environment: env, timeout: 60)
    }

    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Run as nobody (65534), whose password entry has a home that does not
    /// exist, so that nothing real is read or written: `cache stats` names the
    /// store without creating anything.
    @Test(
        .enabled(
            if: DBFixtures.unprivilegedTestsRun,
            "needs root and /usr/bin/setpriv to run peft-perf as nobody, so as not to read a real home"))
    func withoutHOMETheDefaultComesFromThePasswordDatabaseNotTmp() throws {
        try DBFixtures.requireUnprivileged()
        let entry = try #require(getpwuid(65534))
        let home = String(cString: try #require(entry.pointee.pw_dir))
        let expected = home + (home.hasSuffix("/") ? "" : "/") + ".local/state/peft-perf/store.sqlite"
        let wrapper = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        let directory = try ScratchRoot.directory()
        chmod(directory.path, 0o755)
        for environment in [[:], ["HOME": ""], ["HOME": "relative/dir"], ["HOME": "", "XDG_STATE_HOME": ""]] {
            let result = try Self.run(
                ["cache", "stats", "--json"], environment: environment, wrapper: wrapper, directory: directory)
            #expect(result.status == 0, "\(environment): \(result.stderr)")
            let store = try JSONObject.parse(result.stdout)["store_path"] as? String
            #expect(store == expected, "\(environment)")
            #expect(store?.hasPrefix("/tmp/") == false, "\(environment): \(store ?? "nil")")
        }
        // XDG_STATE_HOME still comes first when absolute.
        let state = try ScratchRoot.directory().appendingPathComponent("state").path
        let xdg = try Self.run(["cache", "stats", "--json"], environment: ["XDG_STATE_HOME": state])
        #expect(try JSONObject.parse(xdg.stdout)["store_path"] as? String == state + "/peft-perf/store.sqlite")
    }

    @Test(
        .enabled(
            if: DBFixtures.unprivilegedTestsRun,
            "needs root and /usr/bin/setpriv to run peft-perf as a uid with no password entry"))
    func aUserWithNoHomeAnywhereMustNameTheStore() throws {
        try DBFixtures.requireUnprivileged()
        // No password entry for this uid, and no HOME or XDG_STATE_HOME.
        let wrapper = ["/usr/bin/setpriv", "--reuid=54321", "--regid=54321", "--clear-groups"]
        #expect(getpwuid(54321) == nil, "uid 54321 has a password entry here")
        let directory = try ScratchRoot.directory()
        chmod(directory.path, 0o755)
        for command in [["metrics"], ["cache", "stats"], ["record", "/dev/null"], ["db", "slow"]] {
            let result = try Self.run(command, environment: [:], wrapper: wrapper, directory: directory)
            #expect(!result.signaled)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.hasPrefix("peft-perf: error: no default location for the store"), "\(result.stderr)")
            #expect(result.stderr.contains("--store"), "\(result.stderr)")
        }
        // Commands that need no store still run.
        let system = try Self.run(
            ["system", "--interval", "10ms", "--json"], environment: [:], wrapper: wrapper, directory: directory)
        #expect(system.status == 0, "\(system.stderr)")
        // Naming the store is enough.
        let named = try Self.run(
            ["metrics", "--json", "--store", directory.appendingPathComponent("none.sqlite").path], environment: [:],
            wrapper: wrapper, directory: directory)
        #expect(named.status == 0, "\(named.stderr)")
    }

    @Test(arguments: ["0", "022", "077"])
    func theDefaultLocationIsCreated0700WithAStore0600WhateverTheUmask(umask mask: String) throws {
        let home = try ScratchRoot.directory()
        let events = home.appendingPathComponent("events.ndjson")
        try Data(#"{"type":"request","endpoint":"GET /a","duration_ms":1,"status":200}"#.utf8).write(to: events)
        let result = try ExternalTool.run(
            "/bin/sh", ["-c", "umask \(mask) && exec \"$0\" record \"$1\"", CLIHarness.binaryURL.path, events.path],
            input: nil, environment: ["PATH": "/usr/bin:/bin", "HOME": home.path], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        for directory in [".local", ".local/state", ".local/state/peft-perf"] {
            #expect(Self.mode(home.appendingPathComponent(directory).path) == 0o700, "umask \(mask): \(directory)")
        }
        let store = home.appendingPathComponent(".local/state/peft-perf/store.sqlite").path
        #expect(Self.mode(store) == 0o600, "umask \(mask)")
        // SQLite gives the -wal and -shm files the store's mode (a umask can
        // only take bits away from it). This process's umask is left alone:
        // it is per process, and changing it would loosen every file and
        // directory that the tests running beside this one create meanwhile
        // (seen in CI: scratch directories made 0777, so stores in them were
        // refused).
        let writer = try SQLiteConnection(path: store, mode: .readWrite)
        try writer.execute("CREATE TABLE IF NOT EXISTS probe (x); INSERT INTO probe VALUES (1)")
        for suffix in ["-wal", "-shm"] {
            #expect(Self.mode(store + suffix) == 0o600, "umask \(mask): \(suffix)")
        }
    }

    @Test func aWorldWritableDirectoryWithoutTheStickyBitIsRefused() throws {
        let directory = try ScratchRoot.directory()
        let events = directory.appendingPathComponent("events.ndjson")
        try Data(#"{"type":"request","endpoint":"GET /a","duration_ms":1,"status":200}"#.utf8).write(to: events)
        let open = directory.appendingPathComponent("open")
        try FileManager.default.createDirectory(at: open, withIntermediateDirectories: true)
        chmod(open.path, 0o777)
        let store = open.appendingPathComponent("store.sqlite").path
        // Named with --store or PEFT_PERF_STORE: record refuses to create it.
        for (arguments, environment) in [
            (["record", events.path, "--store", store], [String: String]()),
            (["record", events.path], ["PEFT_PERF_STORE": store]),
        ] {
            let result = try CLIHarness.run(arguments, environment: environment)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(
                result.stderr.hasPrefix(
                    "peft-perf: error: refusing store '\(store)': its directory '\(open.path)' is writable by other users"
                ), "\(result.stderr)")
            #expect(result.stderr.contains("sticky"))
            #expect(!FileManager.default.fileExists(atPath: store))
        }
        // A store someone planted there is refused by every command that reads it.
        do {
            // Closed at the end of the scope, which checkpoints its WAL into the file.
            let seed = try PerformanceStore.openOrCreate(at: directory.appendingPathComponent("seed.sqlite").path)
            try MonitorStore.openForWriting(path: seed.path, busyTimeoutSeconds: 1).connection.execute("SELECT 1")
        }
        try FileManager.default.copyItem(atPath: directory.appendingPathComponent("seed.sqlite").path, toPath: store)
        let database = try DatabaseFileDamageTests.makeDatabase(in: directory).path
        for command in [
            ["metrics"], ["cache", "stats"], ["cache", "clear"], ["db", "slow"], ["record", events.path],
        ] {
            let result = try CLIHarness.run(command + ["--store", store])
            #expect(result.status == 1, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("refusing store '\(store)'"), "\(command): \(result.stderr)")
        }
        // db stats still reports the database, with one warning.
        let stats = try CLIHarness.run(["db", "stats", "--db", database, "--store", store, "--json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(stats.stderr.components(separatedBy: "peft-perf: warning: ").count == 2, "\(stats.stderr)")
        #expect(stats.stderr.contains("refusing store"), "\(stats.stderr)")
        // A symlink in a safe directory to a store in the open one is refused too.
        let link = directory.appendingPathComponent("link.sqlite").path
        #expect(symlink(store, link) == 0)
        let linked = try CLIHarness.run(["metrics", "--store", link])
        #expect(linked.status == 1, "\(linked.stderr)")
        #expect(linked.stderr.contains("refusing store"), "\(linked.stderr)")
    }

    @Test func stickyAndGroupWritableDirectoriesAreAccepted() throws {
        let directory = try ScratchRoot.directory()
        let events = directory.appendingPathComponent("events.ndjson")
        try Data(#"{"type":"request","endpoint":"GET /a","duration_ms":1,"status":200}"#.utf8).write(to: events)
        for (name, mode) in [("sticky", 0o1777), ("group", 0o2770), ("private", 0o700)] as [(String, mode_t)] {
            let sub = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            chmod(sub.path, mode)
            let store = sub.appendingPathComponent("store.sqlite").path
            let record = try CLIHarness.run(["record", events.path, "--store", store])
            #expect(record.status == 0, "\(name): \(record.stderr)")
            let metrics = try CLIHarness.run(["metrics", "--json", "--store", store])
            #expect(metrics.status == 0, "\(name): \(metrics.stderr)")
            // An explicit store is created 0600, and a mode given to it later is kept.
            #expect(Self.mode(store) == 0o600, "\(name)")
            chmod(store, 0o660)
            let again = try CLIHarness.run(["record", events.path, "--store", store])
            #expect(again.status == 0, "\(name): \(again.stderr)")
            #expect(Self.mode(store) == 0o660, "\(name): an explicit store's mode changed")
        }
    }

    @Test(.enabled(if: RequiredTool.shouldRun(getuid() == 0), "needs root to give a directory to another user (chown)"))
    func aDefaultStoreDirectoryMadeByAnotherUserIsRefused() throws {
        guard getuid() == 0 else {
            try RequiredTool.missing("not running as root, so the test cannot give a directory to another user")
        }
        let home = try ScratchRoot.directory()
        let directory = home.appendingPathComponent(".local/state/peft-perf")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        #expect(chown(directory.path, 65534, 65534) == 0)
        for command in [["metrics"], ["record", "/dev/null"]] {
            let result = try Self.run(command, environment: ["HOME": home.path])
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(
                result.stderr.contains("refusing the default store directory '\(directory.path)'"), "\(result.stderr)")
            #expect(result.stderr.contains("owner uid 65534"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("store.sqlite").path))
    }
}
