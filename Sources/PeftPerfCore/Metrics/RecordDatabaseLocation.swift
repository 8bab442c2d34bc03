#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The database file a query event's `db` field names.
///
/// Services give what they have at hand, and the store keys statements by
/// path, so the URL forms are turned into paths at record time:
///
/// | `db` | path |
/// |---|---|
/// | `/srv/app.db` | `/srv/app.db` (as given) |
/// | `sqlite:////srv/app.db`, `sqlite+pysqlite:////srv/app.db` | `/srv/app.db` (SQLAlchemy: four slashes, absolute) |
/// | `sqlite:///app.db` | `app.db`, relative (SQLAlchemy: three slashes) |
/// | `file:/srv/app.db`, `file:///srv/app.db`, `file://localhost/srv/app.db` | `/srv/app.db` |
/// | `file:app.db?mode=ro` | `app.db`, relative |
///
/// Query strings (`?mode=ro`, `?check_same_thread=false`) and fragments are
/// dropped; `file:` URIs are percent-decoded, as SQLite does. A relative path
/// is returned as such: ``RecordIngestor`` resolves it against `record`'s
/// current directory and warns once. What names no file (`:memory:`,
/// `sqlite://`, a URL with a host, another scheme such as `postgresql://`) is
/// a bad line naming the `db` field.
///
/// Related SQLite documentation: <https://www.sqlite.org/uri.html>;
/// SQLAlchemy's: <https://docs.sqlalchemy.org/en/20/dialects/sqlite.html#connect-strings>.
public enum RecordDatabaseLocation {
    /// The path `text` names (relative or absolute), or a reason naming `db`.
    public static func path(_ text: String) throws(RecordLineError) -> String {
        let shown = Self.clip(Self.redacted(text))
        if text == ":memory:" || text.hasPrefix("file::memory:") {
            throw RecordLineError(reason: "\"db\" \(shown) is an in-memory database, not a file")
        }
        guard let colon = text.firstIndex(of: ":"), Self.isScheme(text[..<colon]) else {
            return text
        }
        let scheme = text[..<colon].lowercased()
        var rest = text[text.index(after: colon)...]
        // Query string and fragment: connection options, not part of the path,
        // except one that makes the database an in-memory one.
        if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            let options = rest[end...].dropFirst().split(whereSeparator: { $0 == "&" || $0 == "#" })
            if options.contains(where: { $0.lowercased() == "mode=memory" || $0.lowercased() == "vfs=memdb" }) {
                throw RecordLineError(reason: "\"db\" \(shown) is an in-memory database, not a file")
            }
            rest = rest[..<end]
        }
        if scheme == "file" {
            var path = rest
            if path.hasPrefix("//") {
                path = path.dropFirst(2)
                let host = path.prefix { $0 != "/" }
                guard host.isEmpty || host.lowercased() == "localhost" else {
                    throw RecordLineError(
                        reason: "\"db\" \(shown) names a host; record only local SQLite files (file:/path)")
                }
                path = path.dropFirst(host.count)
            }
            guard let decoded = Self.percentDecoded(path), !decoded.isEmpty else {
                throw RecordLineError(reason: "\"db\" \(shown) names no file (or has a malformed %-escape)")
            }
            if decoded == ":memory:" {
                throw RecordLineError(reason: "\"db\" \(shown) is an in-memory database, not a file")
            }
            return decoded
        }
        guard scheme == "sqlite" || scheme.hasPrefix("sqlite+") else {
            // A path such as "data:2024.db" has no "//" after the colon.
            guard rest.hasPrefix("//") else { return text }
            throw RecordLineError(
                reason:
                    "\"db\" \(shown) is a \(scheme) URL; only SQLite databases are recorded (a path or sqlite:///PATH)"
            )
        }
        guard rest.hasPrefix("//") else {
            throw RecordLineError(reason: "\"db\" \(shown) is not a SQLAlchemy URL (sqlite:///PATH)")
        }
        rest = rest.dropFirst(2)
        guard rest.hasPrefix("/") else {
            if rest.isEmpty {
                throw RecordLineError(reason: "\"db\" \(shown) is an in-memory database, not a file")
            }
            throw RecordLineError(
                reason: "\"db\" \(shown) names a host; a SQLite URL has three slashes (sqlite:///PATH)")
        }
        let path = String(rest.dropFirst())
        if path.isEmpty || path == ":memory:" {
            throw RecordLineError(reason: "\"db\" \(shown) is an in-memory database, not a file")
        }
        return path
    }

    /// `path` made absolute against `directory` (dot segments removed), then
    /// resolved as `--db` is (``SQLiteConnection/canonicalPath(_:)``).
    public static func absolute(_ path: String, in directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : (directory.hasSuffix("/") ? directory : directory + "/") + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return SQLiteConnection.canonicalPath("/" + parts.joined(separator: "/"))
    }

    /// The current directory, or "/" when it cannot be read.
    public static func currentDirectory() -> String {
        guard let cwd = getcwd(nil, 0) else { return "/" }
        defer { free(cwd) }
        return String(cString: cwd)
    }

    /// A URL scheme: a letter, then letters, digits, `+`, `-`, `.` (RFC 3986).
    static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, Self.isLetter(first) else { return false }
        return text.utf8.allSatisfy { byte in
            Self.isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    /// `%XX` sequences decoded; nil when one is malformed or the result is not UTF-8 or holds NUL.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.popFirst().flatMap(Self.hexValue),
                let low = iterator.popFirst().flatMap(Self.hexValue)
            else { return nil }
            bytes.append(high << 4 | low)
        }
        guard !bytes.contains(0) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// `text` with a URL's user and password (`postgresql://user:secret@host/db`)
    /// replaced by `***`, so a rejected line's reason never shows a credential.
    static func redacted(_ text: String) -> String {
        guard let separator = text.firstRange(of: "://") else { return text }
        let authority = text[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard let atSign = authority.lastIndex(of: "@") else { return text }
        return String(text[..<separator.upperBound]) + "***" + String(text[atSign..<text.endIndex])
    }

    static func clip(_ text: String) -> String {
        let head = text.prefix(60)
        return "\"" + head + (head.count < text.count ? "…" : "") + "\""
    }
}
