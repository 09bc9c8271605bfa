//  bc_log - leveled log lines on stderr
#include "bc_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

//  Process-wide logging settings: a true global, set once from main().
static char s_ident[32] = "baocao";
static bc_log_level_t s_level = BC_LOG_INFO;

void
bc_log_init(const char *ident, bc_log_level_t level)
{
    snprintf(s_ident, sizeof s_ident, "%s", ident);
    s_level = level;
}

int
bc_log_level_parse(const char *name)
{
    static const char *names[] = { "error", "warn", "info", "debug" };
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

int
bc_log_enabled(bc_log_level_t level)
{
    return level <= s_level;
}

void
bc_log(bc_log_level_t level, const char *fmt, ...)
{
    if (!bc_log_enabled(level)) {
        return;
    }
    static const char *labels[] = { "error", "warning", "info", "debug" };
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);

    char line[2048];
    int n = snprintf(line, sizeof line, "%s.%03ldZ %s[%d] %s: ", when,
                     (long) tv.tv_usec / 1000, s_ident, (int) getpid(), labels[level]);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t) n < sizeof line) {
        vsnprintf(line + n, sizeof line - (size_t) n, fmt, ap);
    }
    va_end(ap);
    //  One write per line so lines from several processes do not interleave.
    fprintf(stderr, "%s\n", line);
}
