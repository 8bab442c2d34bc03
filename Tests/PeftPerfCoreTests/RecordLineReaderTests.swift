import Foundation
import Testing

@testable import PeftPerfCore

@Suite struct RecordLineReaderTests {
    /// Feeds `bytes` through a pipe and collects what the reader hands out.
    func lines(_ bytes: [UInt8], maxLineBytes: Int = 64) throws -> [(Int, String?)] {
        let directory = try ScratchRoot.directory().appendingPathComponent("peft-reader")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("in.ndjson").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let fd = open(path, O_RDONLY)
        try #require(fd >= 0)
        defer { close(fd) }
        var out: [(Int, String?)] = []
        try RecordLineReader.forEachLine(fd: fd, maxLineBytes: maxLineBytes) { number, line in
            switch line {
            case .bytes(let buffer): out.append((number, String(decoding: buffer, as: UTF8.self)))
            case .tooLong: out.append((number, nil))
            case .idle: Issue.record("idle without idleSeconds")
            }
            return true
        }
        return out
    }

    @Test func splitsLinesAndNumbersThem() throws {
        let got = try self.lines(Array("a\nbb\r\n\nlast".utf8))
        #expect(got.map(\.0) == [1, 2, 3, 4])
        #expect(got.map(\.1) == ["a", "bb", "", "last"])
    }

    @Test func overlongLinesAreReportedOnceAndSkipped() throws {
        let long = String(repeating: "x", count: 1000)
        let got = try self.lines(Array("ok\n\(long)\nafter\n\(long)".utf8), maxLineBytes: 64)
        #expect(got.map(\.0) == [1, 2, 3, 4])
        #expect(got.map(\.1) == ["ok", nil, "after", nil])
    }

    @Test func linesSpanningReadsAreReassembled() throws {
        // Lines straddle the 256 KiB read chunks.
        var text = ""
        for i in 0..<40_000 { text += "line-\(i)-" + String(repeating: "y", count: i % 17) + "\n" }
        let got = try self.lines(Array(text.utf8), maxLineBytes: 1024)
        #expect(got.count == 40_000)
        #expect(got[39_999].1 == "line-39999-" + String(repeating: "y", count: 39_999 % 17))
        #expect(got.allSatisfy { $0.1 != nil })
    }

    @Test func aQuietStreamReportsIdleAndCarriesOn() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        _ = "one\n".withCString { write(fds[1], $0, 4) }
        var events: [String] = []
        var idles = 0
        try RecordLineReader.forEachLine(fd: fds[0], idleSeconds: 0.02) { number, line in
            switch line {
            case .bytes(let buffer): events.append("\(number):" + String(decoding: buffer, as: UTF8.self))
            case .tooLong: events.append("too long")
            case .idle:
                idles += 1
                if idles == 1 {
                    events.append("idle")
                    _ = "two\n".withCString { write(fds[1], $0, 4) }
                    close(fds[1])
                }
            }
            return true
        }
        #expect(events == ["1:one", "idle", "2:two"])
    }
}
