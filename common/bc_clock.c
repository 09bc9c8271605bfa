//  bc_clock - wall-clock time, Vietnam local formatting, RFC 3339 parsing
#include "bc_clock.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

//  Read once per process; the environment does not change under a daemon.
static pthread_once_t s_offset_once = PTHREAD_ONCE_INIT;
static int64_t s_offset_ms = 0;

static void
s_offset_load(void)
{
    const char *v = getenv("BC_CLOCK_OFFSET_MS");
    if (v && *v) {
        s_offset_ms = strtoll(v, NULL, 10);
    }
}

static int64_t
s_offset(void)
{
    pthread_once(&s_offset_once, s_offset_load);
    return s_offset_ms;
}

int64_t
bc_clock_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + s_offset();
}

int64_t
bc_clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
bc_clock_days_from_civil(int y, unsigned m, unsigned d)
{
    //  Howard Hinnant's days_from_civil algorithm.
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned) (y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t) era * 146097 + (int64_t) doe - 719468;
}

int
bc_clock_date_valid(unsigned year, unsigned month, unsigned day)
{
    static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) {
        return 0;
    }
    unsigned max = mdays[month - 1];
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) {
        max = 29;
    }
    return day <= max;
}

static void
s_split(int64_t ms, struct tm *tm)
{
    time_t secs = (time_t) ((ms - ((ms % 1000 + 1000) % 1000)) / 1000);
    gmtime_r(&secs, tm);
}

void
bc_clock_format_local(int64_t ms, char *buf, size_t size)
{
    struct tm tm;
    s_split(ms + BC_CLOCK_TZ_OFFSET_MS, &tm);
    if (size && strftime(buf, size, "%Y-%m-%d %H:%M", &tm) == 0) {
        buf[0] = '\0';
    }
}

void
bc_clock_format_rfc3339(int64_t ms, char *buf, size_t size)
{
    struct tm tm;
    s_split(ms + BC_CLOCK_TZ_OFFSET_MS, &tm);
    char base[32];
    if (strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
        base[0] = '\0';
    }
    int frac = (int) (((ms % 1000) + 1000) % 1000);
    if (frac) {
        snprintf(buf, size, "%s.%03d+07:00", base, frac);
    }
    else {
        snprintf(buf, size, "%s+07:00", base);
    }
}

static int
s_digits(const char **p, int count, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < count; i++) {
        if (!isdigit((unsigned char) **p)) {
            return -1;
        }
        v = v * 10 + (unsigned) (**p - '0');
        (*p)++;
    }
    *out = v;
    return 0;
}

int
bc_clock_parse_rfc3339(const char *text, int64_t *ms_p)
{
    const char *p = text;
    unsigned y, mo, d, h, mi, s, ms = 0;
    if (s_digits(&p, 4, &y) || *p++ != '-' || s_digits(&p, 2, &mo) || *p++ != '-'
        || s_digits(&p, 2, &d) || (*p != 'T' && *p != 't' && *p != ' ')) {
        return -1;
    }
    p++;
    if (s_digits(&p, 2, &h) || *p++ != ':' || s_digits(&p, 2, &mi) || *p++ != ':'
        || s_digits(&p, 2, &s)) {
        return -1;
    }
    if (*p == '.') {
        p++;
        int n = 0;
        while (isdigit((unsigned char) *p)) {
            if (n < 3) {
                ms = ms * 10 + (unsigned) (*p - '0');
            }
            n++;
            p++;
        }
        if (n == 0) {
            return -1;
        }
        for (; n < 3; n++) {
            ms *= 10;
        }
    }
    int64_t offset_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    }
    else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        p++;
        unsigned oh, om;
        if (s_digits(&p, 2, &oh) || *p++ != ':' || s_digits(&p, 2, &om) || oh > 23 || om > 59) {
            return -1;
        }
        offset_min = sign * (int64_t) (oh * 60 + om);
    }
    else {
        return -1;
    }
    if (*p != '\0' || !bc_clock_date_valid(y, mo, d) || h > 23 || mi > 59 || s > 60) {
        return -1;
    }
    int64_t days = bc_clock_days_from_civil((int) y, mo, d);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offset_min * 60;
    *ms_p = secs * 1000 + ms;
    return 0;
}
