#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What an output path (`-o`, `--junit`, `--markdown`) names, found before
/// anything is written, and so how it must be written.
///
/// Only a regular file, or a path where nothing exists yet, is replaced by a
/// rename: anything else is written where it is, so that `-o /dev/null` run as
/// root never turns the device into a regular file, and a FIFO keeps its reader.
enum OutputTarget: Equatable {
    /// A descriptor the process inherited: `-`, `/dev/stdout`, `/dev/stderr`,
    /// `/dev/fd/N`. Written through a `dup` of it, never reopened by path:
    /// opening `/dev/stdout` fails with `ENXIO` when stdout is a socket (as
    /// under journald), and would truncate a file stdout appends to.
    case descriptor(Int32)
    /// No file there yet: created by a rename, mode 0644.
    case newFile(path: String)
    /// A regular file: replaced by a rename, keeping its mode (and, as root,
    /// its owner).
    case regularFile(path: String, mode: mode_t, owner: uid_t, group: gid_t)
    /// A FIFO: opened for writing without blocking, retried until a reader
    /// comes or `--timeout` passes.
    case fifo(path: String)
    /// A character or block device, or another special file: written in
    /// place, never renamed over nor truncated.
    case special(path: String)

    /// How many symbolic links are followed before giving up, as Linux does.
    static let maximumLinks = 40

    /// Finds what `path`, the value of `--option`, names.
    ///
    /// Symbolic links are followed one at a time, so that a dangling link
    /// names the file it points to (which is then created) and the link stays.
    ///
    /// - Throws: ``UsageError`` for a directory, ``OutputPathError`` for a
    ///   path that cannot be examined (a symlink loop, a component that is not
    ///   a directory, a name too long, no permission).
    static func resolve(_ path: String, option: String) throws -> OutputTarget {
        var current = path
        for _ in 0...self.maximumLinks {
            if let descriptor = self.inheritedDescriptor(spelledAs: current) {
                return .descriptor(descriptor)
            }
            var info = stat()
            if lstat(current, &info) != 0 {
                let code = errno
                // A missing directory is reported when the temporary file is created there.
                if code == ENOENT { return .newFile(path: current) }
                throw OutputPathError(option: option, path: path, problem: "cannot write", code: code)
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                current = try self.followLink(current, option: option, path: path)
            case S_IFDIR:
                throw UsageError("--\(option) '\(path)' is a directory")
            case S_IFREG:
                return .regularFile(path: current, mode: info.st_mode & 0o7777, owner: info.st_uid, group: info.st_gid)
            case S_IFIFO:
                return .fifo(path: current)
            default:
                return .special(path: current)
            }
        }
        throw OutputPathError(option: option, path: path, problem: "cannot write", code: ELOOP)
    }

    /// The descriptor a path spells, recognised by its text alone, before any
    /// `stat`: `-` and `/dev/stdout` are 1, `/dev/stderr` 2, `/dev/stdin` 0,
    /// and `/dev/fd/N`, `/proc/self/fd/N` and `/proc/thread-self/fd/N` are N
    /// (and so is the link target `/dev/stdout` resolves to). Repeated and
    /// `.` components are ignored. A number too large for a descriptor gives
    /// `Int32.max`, which no `dup` accepts.
    static func inheritedDescriptor(spelledAs path: String) -> Int32? {
        if path == "-" { return 1 }
        guard path.hasPrefix("/") else { return nil }
        let components = path.split(separator: "/").filter { $0 != "." }
        switch components.count {
        case 2 where components[0] == "dev":
            switch components[1] {
            case "stdin": return 0
            case "stdout": return 1
            case "stderr": return 2
            default: return nil
            }
        case 3 where components[0] == "dev" && components[1] == "fd":
            return self.descriptorNumber(components[2])
        case 4
        where components[0] == "proc" && ["self", "thread-self"].contains(components[1]) && components[2] == "fd":
            return self.descriptorNumber(components[3])
        default:
            return nil
        }
    }

    private static func descriptorNumber(_ text: Substring) -> Int32? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        guard text.count <= 10, let value = Int(text) else { return Int32.max }
        return Int32(clamping: value)
    }

    /// The path a symbolic link points to; a relative target is taken from the
    /// link's own directory.
    private static func followLink(_ link: String, option: String, path: String) throws -> String {
        let capacity = Int(PATH_MAX) + 1
        var buffer = [CChar](repeating: 0, count: capacity)
        let length = buffer.withUnsafeMutableBufferPointer { readlink(link, $0.baseAddress!, capacity) }
        if length < 0 {
            throw OutputPathError(option: option, path: path, problem: "cannot read the link '\(link)'", code: errno)
        }
        guard length < capacity else {
            throw OutputPathError(
                option: option, path: path, problem: "cannot read the link '\(link)'", code: ENAMETOOLONG)
        }
        // A name that is not UTF-8 would be repaired into another file's name.
        let bytes = buffer[..<length].map { UInt8(bitPattern: $0) }
        guard let target = String(validating: bytes, as: UTF8.self) else {
            throw OutputPathError(
                option: option, path: path, problem: "cannot follow the link '\(link)'", code: EILSEQ)
        }
        if target.hasPrefix("/") { return target }
        return self.directory(of: link) + "/" + target
    }

    /// The directory part of `path`: `.` for a bare name, `/` for `/name`.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
