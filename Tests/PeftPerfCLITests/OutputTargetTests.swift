import Foundation
import Testing

@testable import PeftPerfCLI

#if canImport(Glibc)
    import Glibc
#endif

/// How an output path is classified, in-process: which spellings name an
/// inherited descriptor (recognised by their text, before any `stat`), and
/// what each kind of file made in a scratch directory resolves to.
@Suite struct OutputTargetTests {
    static let descriptorSpellings: [(String, Int32)] = [
        ("-", 1), ("/dev/stdin", 0), ("/dev/stdout", 1), ("/dev/stderr", 2), ("/dev/fd/0", 0), ("/dev/fd/1", 1),
        ("/dev/fd/2", 2), ("/dev/fd/17", 17), ("//dev//stdout", 1), ("/dev/./stdout", 1), ("/dev/fd/1/", 1),
        ("/proc/self/fd/1", 1), ("/proc/thread-self/fd/2", 2), ("/dev/fd/99999999999999999999", Int32.max),
    ]

    @Test(arguments: descriptorSpellings)
    func spellingsOfAnInheritedDescriptor(path: String, descriptor: Int32) {
        #expect(OutputTarget.inheritedDescriptor(spelledAs: path) == descriptor)
    }

    /// Names that only look like one: they are paths like any other.
    @Test(arguments: [
        "--", "-o", "dev/stdout", "./-", "/dev/stdoutx", "/dev/std", "/dev/fd", "/dev/fd/", "/dev/fd/1a",
        "/dev/fd/-1", "/dev/fd/+1", "/dev/fd/1/x", "/proc/1/fd/1", "/proc/self/fd", "/dev/null", "/tmp/stdout",
        "/dev/../dev/stdout",
    ])
    func otherNamesAreNotDescriptors(path: String) {
        #expect(OutputTarget.inheritedDescriptor(spelledAs: path) == nil)
    }

    @Test func eachKindOfFileResolvesToHowItIsWritten() throws {
        let directory = try TemporaryDirectory()
        let file = directory.file("file")
        try "x".write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o640)
        try #require(mkfifo(directory.file("fifo"), 0o600) == 0)
        try #require(mkdir(directory.file("dir"), 0o700) == 0)
        symlink("file", directory.file("link"))
        symlink("link", directory.file("link-to-link"))
        symlink("absent", directory.file("dangling"))
        symlink("/dev/stdout", directory.file("to-stdout"))
        symlink("loop-b", directory.file("loop-a"))
        symlink("loop-a", directory.file("loop-b"))

        func resolve(_ name: String) throws -> OutputTarget {
            try OutputTarget.resolve(directory.file(name), option: "junit")
        }
        let info = try #require(Self.lstatus(file))
        let regular = OutputTarget.regularFile(path: file, mode: 0o640, owner: info.st_uid, group: info.st_gid)
        #expect(try resolve("file") == regular)
        #expect(try resolve("new") == .newFile(path: directory.file("new")))
        #expect(try resolve("fifo") == .fifo(path: directory.file("fifo")))
        #expect(try resolve("to-stdout") == .descriptor(1))
        #expect(try resolve("dangling") == .newFile(path: directory.path + "/absent"))
        #expect(try resolve("link") == regular.withPath(directory.path + "/file"))
        #expect(try resolve("link-to-link") == regular.withPath(directory.path + "/file"))
        do {
            _ = try resolve("dir")
            Issue.record("a directory was accepted")
        } catch let error as UsageError {
            #expect(error.message == "--junit '\(directory.file("dir"))' is a directory")
        }
        do {
            _ = try resolve("loop-a")
            Issue.record("a symlink loop was accepted")
        } catch let error as OutputPathError {
            #expect(error.option == "junit" && error.code == ELOOP)
        }
        do {
            _ = try resolve("file/below")
            Issue.record("a path below a file was accepted")
        } catch let error as OutputPathError {
            #expect(error.description.hasPrefix("--junit '\(directory.file("file/below"))': cannot write: "))
        }
    }

    static func lstatus(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }
}

extension OutputTarget {
    /// The same regular file reached by another spelling of its path.
    fileprivate func withPath(_ path: String) -> OutputTarget {
        guard case .regularFile(_, let mode, let owner, let group) = self else { return self }
        return .regularFile(path: path, mode: mode, owner: owner, group: group)
    }
}
