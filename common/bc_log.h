//  bc_log - leveled log lines on stderr for executables (libraries return)
#ifndef BC_LOG_H_INCLUDED
#define BC_LOG_H_INCLUDED

typedef enum {
    BC_LOG_ERROR = 0,
    BC_LOG_WARN,
    BC_LOG_INFO,
    BC_LOG_DEBUG
} bc_log_level_t;

//  Sets the program name shown on every line and the most verbose level
//  printed. Call once from main() before other threads start.
void bc_log_init(const char *ident, bc_log_level_t level);

//  Parses "error", "warn", "info", "debug"; returns -1 when unknown.
int bc_log_level_parse(const char *name);

//  True when lines of this level are printed: check before costly formatting.
int bc_log_enabled(bc_log_level_t level);

//  Prints "<UTC time> <ident>[pid] <level>: <message>" to stderr. Messages
//  follow git's rules: lowercase, no full stop, failure first then object
//  and cause. Operator-facing events start with a stable id ("BC-STORE-FULL").
void bc_log(bc_log_level_t level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define bc_log_error(...)   bc_log(BC_LOG_ERROR, __VA_ARGS__)
#define bc_log_warn(...)    bc_log(BC_LOG_WARN, __VA_ARGS__)
#define bc_log_info(...)    bc_log(BC_LOG_INFO, __VA_ARGS__)
#define bc_log_debug(...)   \
    do { if (bc_log_enabled(BC_LOG_DEBUG)) { bc_log(BC_LOG_DEBUG, __VA_ARGS__); } } while (0)

#endif
