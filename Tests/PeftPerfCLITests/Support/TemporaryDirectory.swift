import Foundation

/// Fresh temporary directories for tests, under the system temp dir.
enum TemporaryDirectory {
    static func make() throws -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("peft-perf-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
