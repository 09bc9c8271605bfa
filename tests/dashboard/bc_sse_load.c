//  bc_sse_load - opens many SSE streams on loopback at once, then closes them
//
//  usage: bc_sse_load PORT PATH COUNT SECONDS [PID]
//
//  Connects COUNT clients to 127.0.0.1:PORT at once, each asking GET PATH
//  as an EventSource does, and waits (all within SECONDS) until each has
//  its first "event: snapshot" or was refused (an HTTP status other than
//  200). With every stream open it then reads /metrics over one more
//  connection and reports the dashboard's own count of SSE clients, and the
//  resident memory of process PID when given; then it closes everything.
//  Prints one line:
//      opened N snapshots S refused R failed F ms T clients_seen C rss_kb K
//  Exit 0 when every client got a snapshot or a refusal, 1 otherwise, 2 on
//  a usage error. Loopback only, bounded in count and time: a test tool.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define S_MAX_CLIENTS   20000           //  a bound on COUNT
#define S_BUF           8192            //  bytes kept per client (the marker comes early)

typedef enum {
    S_CONNECTING = 0,
    S_READING,
    S_SNAPSHOT,
    S_REFUSED,
    S_FAILED
} s_state_t;

typedef struct {
    int fd;
    s_state_t state;
    size_t sent;                        //  request bytes written
    size_t got;                         //  response bytes kept in buf
    char buf[S_BUF];
} s_client_t;

static long long
s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
s_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -1;
    }
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port) };
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *) &addr, sizeof addr) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

//  Judges what a client has read so far.
static void
s_judge(s_client_t *c)
{
    c->buf[c->got] = '\0';
    if (c->got >= 12 && strncmp(c->buf, "HTTP/1.", 7) == 0 && strncmp(c->buf + 9, "200", 3) != 0) {
        c->state = S_REFUSED;
    }
    else if (strstr(c->buf, "event: snapshot")) {
        c->state = S_SNAPSHOT;
    }
}

//  One plain request for /metrics; returns the dashboard's sse_clients or -1.
static long
s_clients_seen(int port, int timeout_ms)
{
    int fd = s_connect(port);
    if (fd < 0) {
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    struct timeval tv = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct pollfd p = { .fd = fd, .events = POLLOUT };
    poll(&p, 1, timeout_ms);
    const char *req = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (write(fd, req, strlen(req)) != (ssize_t) strlen(req)) {
        close(fd);
        return -1;
    }
    size_t cap = 1 << 20, got = 0;
    char *text = malloc(cap + 1);
    if (!text) {
        close(fd);
        return -1;
    }
    ssize_t n;
    while (got < cap && (n = read(fd, text + got, cap - got)) > 0) {
        got += (size_t) n;
    }
    close(fd);
    text[got] = '\0';
    long value = -1;
    const char *line = strstr(text, "\nbaocao_dashboard_sse_clients ");
    if (line) {
        value = strtol(line + strlen("\nbaocao_dashboard_sse_clients "), NULL, 10);
    }
    free(text);
    return value;
}

static long
s_rss_kb(const char *pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%s/status", pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        return -1;
    }
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kb = strtol(line + 6, NULL, 10);
        }
    }
    fclose(f);
    return kb;
}

int
main(int argc, char **argv)
{
    if (argc < 5 || argc > 6) {
        fprintf(stderr, "usage: bc_sse_load PORT PATH COUNT SECONDS [PID]\n");
        return 2;
    }
    int port = atoi(argv[1]);
    const char *path = argv[2];
    long count = strtol(argv[3], NULL, 10);
    long seconds = strtol(argv[4], NULL, 10);
    const char *pid = argc == 6 ? argv[5] : NULL;
    if (port <= 0 || port > 65535 || count <= 0 || count > S_MAX_CLIENTS || seconds <= 0
        || seconds > 600 || strlen(path) > 1024 || path[0] != '/') {
        fprintf(stderr, "bc_sse_load: bad arguments\n");
        return 2;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t) count + 64) {
        rl.rlim_cur = rl.rlim_max < (rlim_t) count + 64 ? rl.rlim_max : (rlim_t) count + 64;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    char request[1200];
    int req_len = snprintf(request, sizeof request,
                           "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAccept: text/event-stream\r\n"
                           "Cache-Control: no-cache\r\n\r\n", path, port);
    s_client_t *clients = calloc((size_t) count, sizeof *clients);
    struct pollfd *polls = calloc((size_t) count, sizeof *polls);
    if (!clients || !polls) {
        fprintf(stderr, "bc_sse_load: out of memory\n");
        return 2;
    }
    long long start = s_now_ms(), deadline = start + seconds * 1000;
    long opened = 0;
    for (long i = 0; i < count; i++) {
        clients[i].fd = s_connect(port);
        clients[i].state = clients[i].fd < 0 ? S_FAILED : S_CONNECTING;
        opened += clients[i].fd >= 0;
    }
    long pending = opened;
    while (pending > 0 && s_now_ms() < deadline) {
        long n = 0;
        for (long i = 0; i < count; i++) {
            s_client_t *c = &clients[i];
            if (c->state == S_CONNECTING || c->state == S_READING) {
                polls[n].fd = c->fd;
                polls[n].events = c->state == S_CONNECTING ? POLLOUT : POLLIN;
                polls[n].revents = 0;
                n++;
            }
        }
        int ready = poll(polls, (nfds_t) n, 200);
        if (ready < 0 && errno != EINTR) {
            break;
        }
        long k = 0;
        for (long i = 0; i < count; i++) {
            s_client_t *c = &clients[i];
            if (c->state != S_CONNECTING && c->state != S_READING) {
                continue;
            }
            short ev = polls[k++].revents;
            if (!ev) {
                continue;
            }
            if (c->state == S_CONNECTING) {
                ssize_t w = send(c->fd, request + c->sent, (size_t) req_len - c->sent, MSG_NOSIGNAL);
                if (w < 0 && errno != EAGAIN) {
                    c->state = S_FAILED;
                    pending--;
                }
                else if (w > 0 && (c->sent += (size_t) w) == (size_t) req_len) {
                    c->state = S_READING;
                }
                continue;
            }
            ssize_t r = recv(c->fd, c->buf + c->got, S_BUF - 1 - c->got, 0);
            if (r > 0) {
                c->got += (size_t) r;
                s_judge(c);
                if (c->state == S_READING && c->got >= S_BUF - 1) {
                    c->state = S_FAILED;        //  no snapshot in the first bytes
                }
            }
            else if (r == 0 || errno != EAGAIN) {
                s_judge(c);
                if (c->state == S_READING) {
                    c->state = S_FAILED;        //  closed without a snapshot
                }
            }
            if (c->state != S_READING) {
                pending--;
            }
        }
    }
    long snapshots = 0, refused = 0, failed = 0;
    for (long i = 0; i < count; i++) {
        snapshots += clients[i].state == S_SNAPSHOT;
        refused += clients[i].state == S_REFUSED;
        failed += clients[i].state != S_SNAPSHOT && clients[i].state != S_REFUSED;
    }
    long long elapsed = s_now_ms() - start;
    long seen = s_clients_seen(port, 5000);
    long rss = pid ? s_rss_kb(pid) : -1;
    for (long i = 0; i < count; i++) {
        if (clients[i].fd >= 0) {
            close(clients[i].fd);
        }
    }
    printf("opened %ld snapshots %ld refused %ld failed %ld ms %lld clients_seen %ld rss_kb %ld\n",
           opened, snapshots, refused, failed, elapsed, seen, rss);
    free(clients);
    free(polls);
    return failed == 0 ? 0 : 1;
}
