//  bc_clock - wall-clock time in UTC milliseconds, injectable for tests
#ifndef BC_CLOCK_H_INCLUDED
#define BC_CLOCK_H_INCLUDED

#include <stddef.h>
#include <stdint.h>

//  Milliseconds since the Unix epoch (UTC). When the environment variable
//  BC_CLOCK_OFFSET_MS is set at process start (tests, demos), its value is
//  added, so a test can move a daemon's clock past a deadline without waiting.
int64_t bc_clock_now_ms(void);

//  Monotonic milliseconds for timers and timeouts (never jumps).
int64_t bc_clock_mono_ms(void);

//  The province's time zone: Asia/Ho_Chi_Minh, UTC+07:00 all year (no DST).
#define BC_CLOCK_TZ_OFFSET_MS   (7 * 3600 * 1000LL)

//  Formats ms as local time "2022-08-15 17:00" (minutes) into buf.
void bc_clock_format_local(int64_t ms, char *buf, size_t size);

//  Formats ms as RFC 3339 with the +07:00 offset: "2022-08-15T17:00:00+07:00".
void bc_clock_format_rfc3339(int64_t ms, char *buf, size_t size);

//  Parses RFC 3339 ("2022-08-15T17:00:00+07:00", "...Z", fractional seconds
//  allowed) into UTC ms. Returns 0 on success, -1 when malformed.
int bc_clock_parse_rfc3339(const char *text, int64_t *ms_p);

//  Days since the epoch of a proleptic Gregorian date (no range checks).
int64_t bc_clock_days_from_civil(int year, unsigned month, unsigned day);

//  True when year-month-day is a real calendar date within 1900..9999.
int bc_clock_date_valid(unsigned year, unsigned month, unsigned day);

#endif
