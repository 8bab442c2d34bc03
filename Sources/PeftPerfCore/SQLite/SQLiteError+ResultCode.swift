internal import CSQLite

extension SQLiteError {
    /// An SQLite result code, primary or extended.
    ///
    /// Extended codes carry their primary code in the low 8 bits. The `~=`
    /// operator lets a primary code match all its extended codes, as in GRDB:
    /// `case .readonly` matches `SQLITE_READONLY_CANTINIT`.
    ///
    /// Related SQLite documentation: <https://www.sqlite.org/rescode.html>
    public struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32

        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        /// The primary code (low 8 bits).
        public var primaryResultCode: ResultCode { ResultCode(rawValue: self.rawValue & 0xFF) }

        /// Whether this is a primary code.
        public var isPrimary: Bool { self.rawValue == self.rawValue & 0xFF }

        public var description: String {
            "\(self.rawValue) (\(String(cString: sqlite3_errstr(self.rawValue))))"
        }

        public static let ok = ResultCode(rawValue: SQLITE_OK)
        public static let error = ResultCode(rawValue: SQLITE_ERROR)
        public static let `internal` = ResultCode(rawValue: SQLITE_INTERNAL)
        public static let perm = ResultCode(rawValue: SQLITE_PERM)
        public static let abort = ResultCode(rawValue: SQLITE_ABORT)
        public static let busy = ResultCode(rawValue: SQLITE_BUSY)
        public static let locked = ResultCode(rawValue: SQLITE_LOCKED)
        public static let nomem = ResultCode(rawValue: SQLITE_NOMEM)
        public static let readonly = ResultCode(rawValue: SQLITE_READONLY)
        public static let interrupt = ResultCode(rawValue: SQLITE_INTERRUPT)
        public static let ioerr = ResultCode(rawValue: SQLITE_IOERR)
        public static let corrupt = ResultCode(rawValue: SQLITE_CORRUPT)
        public static let notFound = ResultCode(rawValue: SQLITE_NOTFOUND)
        public static let full = ResultCode(rawValue: SQLITE_FULL)
        public static let cantOpen = ResultCode(rawValue: SQLITE_CANTOPEN)
        public static let `protocol` = ResultCode(rawValue: SQLITE_PROTOCOL)
        public static let schema = ResultCode(rawValue: SQLITE_SCHEMA)
        public static let tooBig = ResultCode(rawValue: SQLITE_TOOBIG)
        public static let constraint = ResultCode(rawValue: SQLITE_CONSTRAINT)
        public static let mismatch = ResultCode(rawValue: SQLITE_MISMATCH)
        public static let misuse = ResultCode(rawValue: SQLITE_MISUSE)
        public static let auth = ResultCode(rawValue: SQLITE_AUTH)
        public static let range = ResultCode(rawValue: SQLITE_RANGE)
        public static let notADatabase = ResultCode(rawValue: SQLITE_NOTADB)

        /// `SQLITE_READONLY_CANTINIT`: a WAL database whose `-shm` cannot be created.
        public static let readonlyCantInit = ResultCode(rawValue: SQLITE_READONLY | (5 << 8))
        /// `SQLITE_READONLY_ROLLBACK` (776): a hot journal that a read-only connection cannot roll back.
        public static let readonlyRollback = ResultCode(rawValue: SQLITE_READONLY | (3 << 8))
        /// `SQLITE_READONLY_DIRECTORY`: the directory holding the database cannot be written.
        public static let readonlyDirectory = ResultCode(rawValue: SQLITE_READONLY | (6 << 8))
        /// `SQLITE_BUSY_SNAPSHOT`.
        public static let busySnapshot = ResultCode(rawValue: SQLITE_BUSY | (2 << 8))

        /// A primary pattern matches every extended code of that primary code;
        /// an extended pattern matches only itself.
        public static func ~= (pattern: ResultCode, code: ResultCode) -> Bool {
            if pattern.isPrimary {
                return pattern == code.primaryResultCode
            }
            return pattern == code
        }

        /// Lets `case ResultCode.busy` match an error in a `catch`.
        public static func ~= (pattern: ResultCode, error: any Error) -> Bool {
            guard let error = error as? SQLiteError else { return false }
            return pattern ~= error.extendedResultCode
        }
    }
}
