#ifndef PEFT_CSQLITE_SHIM_H
#define PEFT_CSQLITE_SHIM_H

#include <sqlite3.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/// `SQLITE_TRANSIENT` is a macro casting -1 to a function pointer, which Swift
/// does not import. This returns the same value with a proper type.
static inline sqlite3_destructor_type peft_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

/// `sqlite3_db_config` is variadic. This wrapper covers the integer options
/// that take `(int, int *)`, such as `SQLITE_DBCONFIG_DEFENSIVE`.
static inline int peft_sqlite3_db_config_int(sqlite3 *db, int op, int value, int *out) {
    return sqlite3_db_config(db, op, value, out);
}

/// `sqlite3_config` is variadic. This wrapper covers the options that take
/// one `int`, such as `SQLITE_CONFIG_MEMSTATUS`. It must run before SQLite
/// initializes (the first open does that).
static inline int peft_sqlite3_config_int(int op, int value) {
    return sqlite3_config(op, value);
}

/// The `open` system call SQLite's unix VFS uses, guarded: it never blocks on
/// a FIFO and never hands SQLite anything but a regular file or a directory.
///
/// SQLite opens a database by path, after any check peft-perf made on the
/// path, so a FIFO swapped in between would block `open(2)` forever (no
/// writer) and a device would be read as a database. Here the check is made on
/// the descriptor SQLite itself will use:
/// 1. `O_NONBLOCK` is added, so opening a FIFO returns at once;
/// 2. `fstat` the descriptor: a FIFO, socket, character or block device is
///    closed and the open fails with `ENODEV` (SQLite reports `SQLITE_CANTOPEN`).
///    Directories stay allowed: SQLite opens the journal's directory to `fsync` it.
///    `/dev/null` stays allowed too: SQLite opens it to fill descriptors 0-2
///    when they are closed, so that a database never lands on stdin/out/err;
/// 3. `O_NONBLOCK` is cleared again unless SQLite asked for it.
///
/// Symlinks are followed as before (no `O_NOFOLLOW`). The function keeps no
/// state, so every copy of this header's inline code behaves the same.
///
/// Related SQLite documentation: <https://www.sqlite.org/c3ref/vfs.html> (`xSetSystemCall`)
static int peft_sqlite_guarded_open(const char *path, int flags, int mode) {
    int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC, (mode_t)mode);
    if (fd < 0) return fd;
    struct stat info;
    if (fstat(fd, &info) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    int kind = info.st_mode & S_IFMT;
    if (kind != S_IFREG && kind != S_IFDIR && !(kind == S_IFCHR && strcmp(path, "/dev/null") == 0)) {
        close(fd);
        errno = ENODEV;
        return -1;
    }
    if (!(flags & O_NONBLOCK)) {
        int current = fcntl(fd, F_GETFL);
        if (current == -1 || fcntl(fd, F_SETFL, current & ~O_NONBLOCK) == -1) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
    }
    return fd;
}

/// Installs ``peft_sqlite_guarded_open`` as the unix VFS's `open`.
///
/// The system-call table is shared by every unix VFS (`unix`, `unix-excl`,
/// ...). Call it once, before the first `sqlite3_open*`: it initializes
/// SQLite, so any `sqlite3_config` must come first.
///
/// - Returns: `SQLITE_OK`, or `SQLITE_NOTFOUND` / `SQLITE_ERROR` when there is
///   no unix VFS or it cannot replace system calls.
static inline int peft_sqlite_install_open_guard(void) {
    sqlite3_vfs *vfs = sqlite3_vfs_find("unix");
    if (vfs == NULL) return SQLITE_NOTFOUND;
    if (vfs->iVersion < 3 || vfs->xSetSystemCall == NULL) return SQLITE_ERROR;
    return vfs->xSetSystemCall(vfs, "open", (sqlite3_syscall_ptr)peft_sqlite_guarded_open);
}

#endif
