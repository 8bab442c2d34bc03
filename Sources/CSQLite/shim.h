#ifndef PEFT_CSQLITE_SHIM_H
#define PEFT_CSQLITE_SHIM_H

#include <sqlite3.h>

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

#endif
