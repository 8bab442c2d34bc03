import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `peft-perf system` end to end: the real binary, its stdout, stderr and exit status.
@Suite struct SystemCommandTests {
    static let peftStudioKeys = [
        "cpu_percent", "memory_percent", "memory_used_mb", "memory_available_mb", "disk_percent", "disk_used_gb",
        "disk_free_gb",
    ]

    @Test func jsonHasThePeftStudioFieldsAndMeasuresTheDefaultWindow() throws {
        let result = try CLIHarness.run(["system", "--json"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let object = try JSONObject.parse(result.stdout)
        for key in Self.peftStudioKeys {
            #expect(object[key] is NSNumber, "missing \(key)")
        }
        #expect(object["schema_version"] as? Int == 1)
        #expect(object["cpu_percent_basis"] as? String == "interval")
        let window = try #require(object["cpu_interval_seconds"] as? Double)
        #expect(window >= 0.1)
        #expect(object["disk_path"] as? String == "/")
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.hasSuffix("Z") && timestamp.count == 24)
        #expect(result.stdout.hasSuffix("}\n"))
    }

    @Test func intervalZeroAnswersWithTheSinceBootAverage() throws {
        let result = try CLIHarness.run(["system", "--interval", "0", "--format", "json", "--path", "/tmp"])
        #expect(result.status == 0)
        let object = try JSONObject.parse(result.stdout)
        #expect(object["cpu_percent_basis"] as? String == "since_boot")
        #expect(object["cpu_interval_seconds"] as? Double == 0)
        #expect(object["disk_path"] as? String == "/tmp")
    }

    @Test func tableIsAlignedAndSaysWhatTheCPUFigureMeans() throws {
        let result = try CLIHarness.run(["system", "--interval", "0"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0].hasPrefix("RESOURCE"))
        #expect(lines[2].hasPrefix("cpu "))
        #expect(lines[2].contains("average since boot"))
        #expect(lines[3].hasPrefix("memory "))
        #expect(lines[4].hasPrefix("disk / "))
        #expect(lines[5].hasPrefix("load "))
        // The USED column is right-aligned: every percentage ends in the same column.
        let columns = lines[2...4].compactMap { line in
            line.firstIndex(of: "%").map { line.distance(from: line.startIndex, to: $0) }
        }
        #expect(columns.count == 3 && Set(columns).count == 1, "\(result.stdout)")
    }

    @Test func prometheusFormatPassesPromtool() throws {
        let result = try CLIHarness.run(["system", "--interval", "10ms", "--format", "prometheus"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("# TYPE peft_perf_system_cpu_utilization_ratio gauge\n"))
        #expect(result.stdout.contains("peft_perf_system_disk_free_bytes{path=\"/\"} "))
        // The core suite reports a missing promtool; here the format is still checked above.
        let (status, complaints) = try Promtool.checkMetrics(result.stdout)
        #expect(status == 0)
        #expect(complaints.isEmpty, "promtool: \(complaints)")
    }

    @Test func missingPathIsAClearErrorWithExitOne() throws {
        let result = try CLIHarness.run(["system", "--path", "/no/such/dir", "--json"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr == "peft-perf: error: cannot read disk usage of '/no/such/dir': no such file or directory\n")
    }

    @Test func badIntervalIsAUsageError() throws {
        let result = try CLIHarness.run(["system", "--interval", "100"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--interval"))
    }

    @Test func writesToAnOutputFile() throws {
        let directory = try ScratchRoot.directory()
        let file = directory.appendingPathComponent("system.prom")
        let result = try CLIHarness.run([
            "system", "--interval", "0", "--format", "prometheus", "-o", file.path,
        ])
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        let written = try String(contentsOf: file, encoding: .utf8)
        #expect(written.hasPrefix("# HELP peft_perf_system_"))
    }

    @Test func ctrlCStopsALongWindowPromptlyWithExit130() throws {
        // Foundation's Process starts children with the parent thread's signal
        // mask, in which SIGINT may be blocked; spawn with an empty mask, as a
        // shell would, so the SIGINT below reaches the binary's handler.
        let binary = CLIHarness.binaryURL.path
        let arguments = [binary, "system", "--interval", "60s", "--json"]
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let outputPath = try ScratchRoot.directory().appendingPathComponent("stdout").path
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArguments = arguments.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let start = Date()
        var environment = try CLIHarness.childEnvironmentForSpawn()
        defer { for pointer in environment { free(pointer) } }
        let spawned = posix_spawn(&pid, binary, &actions, &attributes, &cArguments, &environment)
        try #require(spawned == 0)
        // Give the binary time to install its SIGINT handler before interrupting.
        Thread.sleep(forTimeInterval: 0.5)
        kill(pid, SIGINT)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        #expect(exited)
        #expect((status >> 8) & 0xff == 130)
        #expect(try String(contentsOfFile: outputPath, encoding: .utf8).isEmpty)
        // Far below the 60 s window; not an assertion on speed.
        #expect(Date().timeIntervalSince(start) < 30)
    }

    @Test(
        .enabled(
            if: RequiredTool.shouldRun(pythonHasPsutil()), "python3 cannot import psutil (pip install psutil==7.2.2)"))
    func agreesWithPsutilRunAtTheSameMoment() throws {
        let script = """
            import json, psutil
            m = psutil.virtual_memory(); d = psutil.disk_usage('/')
            print(json.dumps({"memory_percent": m.percent, "memory_total_bytes": m.total,
                              "disk_percent": d.percent, "disk_total_bytes": d.total}))
            """
        let ours = try JSONObject.parse(try CLIHarness.run(["system", "--interval", "0", "--json"]).stdout)
        let theirs = try JSONObject.parse(try Self.python(["-c", script]))
        let memoryGap = abs(
            try #require(ours["memory_percent"] as? Double) - (try #require(theirs["memory_percent"] as? Double)))
        let diskGap = abs(
            try #require(ours["disk_percent"] as? Double) - (try #require(theirs["disk_percent"] as? Double)))
        #expect(memoryGap <= 1.0)
        #expect(diskGap <= 0.2)
        #expect(
            (ours["memory_total_bytes"] as? NSNumber)?.uint64Value
                == (theirs["memory_total_bytes"] as? NSNumber)?.uint64Value)
        #expect(
            (ours["disk_total_bytes"] as? NSNumber)?.uint64Value
                == (theirs["disk_total_bytes"] as? NSNumber)?.uint64Value)
    }

    static func python(_ arguments: [String]) throws -> String {
        guard let python = ExternalTool.which("python3") else { return "" }
        return try ExternalTool.run(python, arguments).stdout
    }
}

private func pythonHasPsutil() -> Bool {
    (try? SystemCommandTests.python(["-c", "import psutil; print('ok')"])) == "ok\n"
}
