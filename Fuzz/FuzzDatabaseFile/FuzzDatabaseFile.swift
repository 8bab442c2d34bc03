#if canImport(Glibc)
    import Glibc
#endif
import FuzzSupport
import PeftPerfCore

/// libFuzzer entry point for reading a damaged database file the way every
/// report does: ``SQLiteConnection/openApplicationDatabase(at:busyTimeout:)``,
/// then ``DatabaseStructure/inspect(_:fileSizeBytes:exactCounts:)``.
///
/// The input is the whole file. Whatever it holds (a damaged header, pages
/// that point anywhere, a page size of 0xFFFE), reading it must throw or
/// succeed, never trap, and must leave every byte of the file as it was.
/// ``DatabaseFileHeader/problem`` must agree with the open: a header it
/// rejects never reaches SQLite.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDatabaseFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let header = DatabaseFileHeader(bytes: Array(bytes.prefix(100)))
    _ = (header.pageSize, header.isWAL, header.declaredPageCount, header.changeCounter)
    let problem = header.problem
    let path = FuzzFile.path
    guard FuzzFile.write(bytes, to: path) else { return 0 }
    do {
        let connection = try SQLiteConnection.openApplicationDatabase(at: path, busyTimeout: 0)
        precondition(problem == nil, "a header with a problem was opened: \(problem.map { "\($0)" } ?? "")")
        _ = try? DatabaseStructure.inspect(connection, fileSizeBytes: size, exactCounts: true)
    } catch let error as DatabaseFileError {
        if case .invalidHeader = error { precondition(problem != nil, "invalidHeader without a problem") }
        precondition(!"\(error)".isEmpty)
    } catch {
        precondition(!"\(error)".isEmpty)
    }
    precondition(FuzzFile.read(path) == bytes, "reading the database changed the file")
    return 0
}

/// The one scratch file the fuzzer rewrites for each input.
enum FuzzFile {
    static let path: String = {
        var template = Array("/tmp/peft-fuzz-db.XXXXXX".utf8CString)
        let directory = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let directory else { return "/tmp/peft-fuzz-db-\(getpid()).db" }
        atexit { FuzzFile.removeAll() }
        return String(cString: directory) + "/fuzz.db"
    }()

    /// Removes the scratch file, its SQLite companions and its directory.
    static func removeAll() {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
        if path.hasSuffix("/fuzz.db") { rmdir(String(path.dropLast("/fuzz.db".count))) }
    }

    static func write(_ bytes: [UInt8], to path: String) -> Bool {
        for suffix in ["-journal", "-wal", "-shm"] { unlink(path + suffix) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 { return nil }
            if n == 0 { return result }
            result.append(contentsOf: chunk[0..<n])
        }
    }
}

/// SwiftPM links executable targets with `main` aliased to `<Target>_main`,
/// which would shadow libFuzzer's own `main`; so this entry point hands
/// control to libFuzzer's driver explicitly.
@_cdecl("FuzzDatabaseFile_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzDatabaseFile)
}
