/*
 * The C floor for the listenq scenario runner (io.listenq.benchmarks.scenario.Floor): the naive sampling round
 * done as cheaply as a program can do it, to hold the exporter's figures against. Compiled at run time with
 * `gcc -O2`; CPU is the process's own getrusage (user + system) over many rounds.
 *
 *   lqbench-floor round PREFIX FIRST COUNT ROUNDS
 *       Setup (not measured): for each namespace PREFIX<i>, i in [FIRST, FIRST+COUNT), open /run/netns/PREFIX<i>,
 *       setns into it and create a NETLINK_SOCK_DIAG socket there (a socket stays bound to the namespace it was
 *       created in: cached per namespace). One warm-up round, then ROUNDS measured rounds, each doing for every
 *       namespace: setns; TCP LISTEN dumps, AF_INET and AF_INET6 (idiag_states 1<<10), every reply read to
 *       NLMSG_DONE and every listener's rqueue/wqueue summed; /proc/thread-self/net/netstat opened, read and the
 *       TcpExt ListenOverflows/ListenDrops values found by column name; /proc/sys/net/core/somaxconn read.
 *       Nothing is skipped: this is the naive full round, with no JVM, no allocation and no exposition.
 *   lqbench-floor idle PREFIX FIRST COUNT ROUNDS
 *       The exact idle round: the least a sampler can do per namespace and round and still know that nothing
 *       changed there. Setup (not measured): for each namespace PREFIX<i>, setns into it once and open
 *       /proc/thread-self/net/snmp, net/sockstat and net/sockstat6 (a procfs net file stays bound to the
 *       namespace it was opened in) and a NETLINK_SOCK_DIAG socket. One warm-up round, then ROUNDS measured
 *       rounds with no setns, each doing for every namespace: one pread at offset 0 of snmp into a 16 KiB buffer,
 *       compared as bytes with that namespace's last round; one pread each of sockstat and sockstat6 (TCP and
 *       TCP6 "inuse" taken); one unix listener dump (SOCK_DIAG_BY_FAMILY, AF_UNIX, udiag_states 1<<10,
 *       UDIAG_SHOW_RQLEN) read to NLMSG_DONE, listeners counted and their RQLEN rqueue summed, unless the last
 *       one found none and sockstat's "sockets: used" is the IP "inuse" counts plus our own sock_diag socket (no
 *       unix socket in the namespace: the exporter's rule, SkipPolicy.dumpUnix). This is what the exporter's
 *       idle path does per namespace (snmp's formatting, and unix_diag_dump where unix sockets exist, are most
 *       of it), so its CPU is the kernel's price of an exact idle namespace.
 *   lqbench-floor synrecv NAMESPACE PORT DUMPS
 *       In /run/netns/NAMESPACE: DUMPS times each, the SYN-RECV dump (idiag_states 1<<3; the kernel adds
 *       TCP_NEW_SYN_RECV) v4+v6 unfiltered, the same with an INET_DIAG_REQ_BYTECODE filter "sport == PORT", and
 *       the LISTEN dump v4+v6 for reference. A SYN-RECV dump walks the host's whole established hash whatever the
 *       filter (the filter only saves copying foreign sockets out), so its cost here is the kernel's floor.
 *
 * Output: one line of key=value pairs on stdout; times are CPU (user + system) per operation in milliseconds.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TCP_LISTEN_BIT (1u << 10)
#define TCP_SYN_RECV_BIT (1u << 3)

#define FILE_BUF (16 * 1024)

static char buf[64 * 1024];

static void die(const char *what, const char *arg) {
    fprintf(stderr, "lqbench-floor: %s %s: %s\n", what, arg, strerror(errno));
    exit(1);
}

static double cpu_seconds(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double wall_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Opens DIR/NAME read-only, or dies. */
static int open_in(const char *dir, const char *name) {
    char path[300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        die("open", path);
    }
    return fd;
}

static int open_netns(const char *name) {
    return open_in("/run/netns", name);
}

static void enter(int nsfd, const char *name) {
    if (setns(nsfd, CLONE_NEWNET) != 0) {
        die("setns", name);
    }
}

static int diag_socket(void) {
    int s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (s < 0) {
        die("socket", "NETLINK_SOCK_DIAG");
    }
    int rcv = 64 * 1024;
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
    return s;
}

/* Reads a sock_diag dump's replies to NLMSG_DONE; returns the sockets seen and adds queue_of(each) to *queues. */
static long read_to_done(int s, const char *what, long (*queue_of)(const struct nlmsghdr *), long *queues) {
    long seen = 0;
    for (;;) {
        ssize_t n = recv(s, buf, sizeof buf, 0);
        if (n < 0) {
            die("recv", what);
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *) buf; NLMSG_OK(h, (size_t) n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE) {
                int err = *(int *) NLMSG_DATA(h);
                if (err < 0) {
                    errno = -err;
                    die("dump NLMSG_DONE", what);
                }
                return seen;
            }
            if (h->nlmsg_type == NLMSG_ERROR) {
                errno = -((struct nlmsgerr *) NLMSG_DATA(h))->error;
                die("dump NLMSG_ERROR", what);
            }
            *queues += queue_of(h);
            seen++;
        }
    }
}

static long inet_queues(const struct nlmsghdr *h) {
    const struct inet_diag_msg *m = NLMSG_DATA(h);
    return (long) m->idiag_rqueue + m->idiag_wqueue;
}

/* UNIX_DIAG_RQLEN's rqueue: for a listener, its accept queue (unix_diag.c, sk_diag_show_rqlen). */
static long unix_rqueue(const struct nlmsghdr *h) {
    const struct unix_diag_msg *m = NLMSG_DATA(h);
    int left = (int) h->nlmsg_len - (int) NLMSG_LENGTH(sizeof *m);
    const struct nlattr *a = (const struct nlattr *) (m + 1);
    while (left >= (int) NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left) {
        if (a->nla_type == UNIX_DIAG_RQLEN && a->nla_len >= NLA_HDRLEN + sizeof(struct unix_diag_rqlen)) {
            return ((const struct unix_diag_rqlen *) ((const char *) a + NLA_HDRLEN))->udiag_rqueue;
        }
        left -= NLA_ALIGN(a->nla_len);
        a = (const struct nlattr *) ((const char *) a + NLA_ALIGN(a->nla_len));
    }
    return 0;
}

/* One sock_diag dump; returns the sockets seen and adds their rqueue + wqueue to *queues. A port of 0 means
 * no filter, else an INET_DIAG_REQ_BYTECODE "sport == port" (INET_DIAG_BC_S_EQ, the port in the next op's no). */
static long dump(int s, int family, unsigned states, int port, long *queues) {
    struct {
        struct nlmsghdr nh;
        struct inet_diag_req_v2 r;
        struct nlattr attr;
        struct inet_diag_bc_op op[2];
    } req;
    memset(&req, 0, sizeof req);
    size_t len = NLMSG_LENGTH(sizeof req.r);
    if (port > 0) {
        req.attr.nla_type = INET_DIAG_REQ_BYTECODE;
        req.attr.nla_len = NLA_HDRLEN + sizeof req.op;
        req.op[0].code = INET_DIAG_BC_S_EQ;
        req.op[0].yes = sizeof req.op;
        req.op[0].no = sizeof req.op + 4; /* past the end: reject */
        req.op[1].no = (unsigned short) port;
        len += req.attr.nla_len;
    }
    req.nh.nlmsg_len = (unsigned) len;
    req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.r.sdiag_family = (unsigned char) family;
    req.r.sdiag_protocol = IPPROTO_TCP;
    req.r.idiag_states = states;
    if (send(s, &req, len, 0) < 0) {
        die("send", "sock_diag request");
    }
    return read_to_done(s, "sock_diag", inet_queues, queues);
}

static ssize_t read_file(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        die("open", path);
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0) {
        die("read", path);
    }
    buf[n] = 0;
    return n;
}

/* The value under column `name` of the TcpExt value line (netstat has a header line, then a value line). */
static long tcpext(const char *name) {
    char *head = strstr(buf, "TcpExt:");
    char *values = head ? strstr(head + 7, "TcpExt:") : NULL;
    if (!values) {
        return -1;
    }
    size_t want = strlen(name);
    char *h = head + 7;
    char *v = values + 7;
    while (*h && *h != '\n') {
        while (*h == ' ') h++;
        while (*v == ' ') v++;
        char *end = h;
        while (*end && *end != ' ' && *end != '\n') end++;
        if ((size_t) (end - h) == want && strncmp(h, name, want) == 0) {
            return strtol(v, NULL, 10);
        }
        h = end;
        while (*v && *v != ' ' && *v != '\n') v++;
    }
    return -1;
}

static int mode_round(const char *prefix, long first, long count, long rounds) {
    int *nsfd = calloc((size_t) count, sizeof(int));
    int *diag = calloc((size_t) count, sizeof(int));
    char (*names)[256] = calloc((size_t) count, sizeof *names);
    for (long i = 0; i < count; i++) {
        snprintf(names[i], sizeof names[i], "%s%ld", prefix, first + i);
        nsfd[i] = open_netns(names[i]);
        enter(nsfd[i], names[i]);
        diag[i] = diag_socket();
    }
    long listeners = 0, queues = 0, drops = 0, somaxconn = 0;
    double cpu0 = 0, wall0 = 0;
    for (long r = -1; r < rounds; r++) {
        if (r == 0) { /* round -1 warms caches up; the figures count from here */
            cpu0 = cpu_seconds();
            wall0 = wall_seconds();
            listeners = 0;
        }
        for (long i = 0; i < count; i++) {
            enter(nsfd[i], names[i]);
            listeners += dump(diag[i], AF_INET, TCP_LISTEN_BIT, 0, &queues);
            listeners += dump(diag[i], AF_INET6, TCP_LISTEN_BIT, 0, &queues);
            read_file("/proc/thread-self/net/netstat");
            drops += tcpext("ListenOverflows") + tcpext("ListenDrops");
            read_file("/proc/sys/net/core/somaxconn");
            somaxconn += strtol(buf, NULL, 10);
        }
    }
    double cpu = cpu_seconds() - cpu0;
    double wall = wall_seconds() - wall0;
    printf("mode=round namespaces=%ld rounds=%ld listeners_per_round=%ld cpu_ms_per_ns_round=%.6f "
           "wall_ms_per_round=%.4f checksum=%ld\n",
           count, rounds, listeners / rounds, cpu * 1e3 / ((double) rounds * count), wall * 1e3 / rounds,
           queues + drops + somaxconn);
    return 0;
}

/* The value after `key` in sockstat's `line` line ("TCP: inuse 3 orphan 0 ..."), or -1. */
static long sockstat(const char *text, const char *line, const char *key) {
    size_t want = strlen(line);
    const char *p = text;
    while (strncmp(p, line, want) != 0) {
        p = strchr(p, '\n');
        if (!p) {
            return -1;
        }
        p++;
    }
    const char *k = strstr(p + want, key);
    const char *eol = strchr(p, '\n');
    return k && (!eol || k < eol) ? strtol(k + strlen(key), NULL, 10) : -1;
}

/* The sum of the "inuse" counts of the IP protocols in sockstat or sockstat6 (absent lines add nothing). */
static long ip_inuse(const char *text) {
    static const char *const protocols[] = {"TCP:", "UDP:", "UDPLITE:", "RAW:", "TCP6:", "UDP6:", "UDPLITE6:", "RAW6:"};
    long sum = 0;
    for (size_t i = 0; i < sizeof protocols / sizeof protocols[0]; i++) {
        long n = sockstat(text, protocols[i], " inuse ");
        sum += n > 0 ? n : 0;
    }
    return sum;
}

/* One pread at offset 0 of an open procfs file into out (size FILE_BUF); returns the bytes read. */
static ssize_t pread_file(int fd, char *out, const char *what) {
    ssize_t n = pread(fd, out, FILE_BUF - 1, 0);
    if (n < 0) {
        die("pread", what);
    }
    out[n] = 0;
    return n;
}

/* The unix listener dump (udiag_states 1<<TCP_LISTEN, UDIAG_SHOW_RQLEN) read to NLMSG_DONE; returns the
 * listeners seen and adds their UNIX_DIAG_RQLEN rqueue (for a listener: its accept queue) to *queues. */
static long unix_dump(int s, long *queues) {
    struct {
        struct nlmsghdr nh;
        struct unix_diag_req r;
    } req;
    memset(&req, 0, sizeof req);
    req.nh.nlmsg_len = sizeof req;
    req.nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.r.sdiag_family = AF_UNIX;
    req.r.udiag_states = TCP_LISTEN_BIT;
    req.r.udiag_show = UDIAG_SHOW_RQLEN;
    if (send(s, &req, sizeof req, 0) < 0) {
        die("send", "unix_diag request");
    }
    return read_to_done(s, "unix_diag", unix_rqueue, queues);
}

static int mode_idle(const char *prefix, long first, long count, long rounds) {
    int(*fds)[4] = calloc((size_t) count, sizeof *fds); /* snmp, sockstat, sockstat6, sock_diag */
    char **last = calloc((size_t) count, sizeof(char *)); /* each namespace's snmp of the last round */
    ssize_t *last_len = calloc((size_t) count, sizeof(ssize_t));
    long *unix_found = calloc((size_t) count, sizeof(long));
    for (long i = 0; i < count; i++) {
        unix_found[i] = -1; /* no dump yet */
    }
    char name[256];
    for (long i = 0; i < count; i++) {
        snprintf(name, sizeof name, "%s%ld", prefix, first + i);
        int nsfd = open_netns(name);
        enter(nsfd, name);
        close(nsfd);
        fds[i][0] = open_in("/proc/thread-self/net", "snmp");
        fds[i][1] = open_in("/proc/thread-self/net", "sockstat");
        fds[i][2] = open_in("/proc/thread-self/net", "sockstat6");
        fds[i][3] = diag_socket();
        last[i] = calloc(1, FILE_BUF);
    }
    static char file[FILE_BUF];
    long listeners = 0, queues = 0, inuse = 0, changed = 0, dumped = 0;
    double cpu0 = 0, wall0 = 0;
    for (long r = -1; r < rounds; r++) {
        if (r == 0) { /* round -1 warms caches up (and fills last[]); the figures count from here */
            cpu0 = cpu_seconds();
            wall0 = wall_seconds();
            listeners = 0;
            changed = 0;
            dumped = 0;
        }
        for (long i = 0; i < count; i++) {
            ssize_t n = pread_file(fds[i][0], file, "snmp");
            if (n != last_len[i] || memcmp(file, last[i], (size_t) n) != 0) {
                memcpy(last[i], file, (size_t) n);
                last_len[i] = n;
                changed++;
            }
            pread_file(fds[i][1], file, "sockstat");
            inuse += sockstat(file, "TCP:", " inuse ");
            long others = sockstat(file, "sockets:", " used ") - ip_inuse(file);
            pread_file(fds[i][2], file, "sockstat6");
            inuse += sockstat(file, "TCP6:", " inuse ");
            others -= ip_inuse(file);
            /* no socket but hashed IP ones and our sock_diag socket, and none found last time: no unix socket, so
             * no unix listener to dump (the exporter's rule, SkipPolicy.dumpUnix) */
            if (unix_found[i] != 0 || others != 1) {
                unix_found[i] = unix_dump(fds[i][3], &queues);
                listeners += unix_found[i];
                dumped++;
            }
        }
    }
    double cpu = cpu_seconds() - cpu0;
    double wall = wall_seconds() - wall0;
    printf("mode=idle namespaces=%ld rounds=%ld listeners_per_round=%ld cpu_ms_per_ns_round=%.6f "
           "wall_ms_per_round=%.4f snmp_changes=%ld unix_dumps=%ld checksum=%ld\n",
           count, rounds, listeners / rounds, cpu * 1e3 / ((double) rounds * count), wall * 1e3 / rounds, changed,
           dumped, queues + inuse + changed);
    return 0;
}

static int mode_synrecv(const char *name, int port, long dumps) {
    int nsfd = open_netns(name);
    enter(nsfd, name);
    int s = diag_socket();
    long q = 0;
    long seen[3] = {0, 0, 0};
    double ms[3];
    for (int kind = 0; kind < 3; kind++) {
        unsigned states = kind == 2 ? TCP_LISTEN_BIT : TCP_SYN_RECV_BIT;
        int filter = kind == 1 ? port : 0;
        dump(s, AF_INET, states, filter, &q); /* warm-up */
        double cpu0 = cpu_seconds();
        for (long k = 0; k < dumps; k++) {
            seen[kind] = dump(s, AF_INET, states, filter, &q) + dump(s, AF_INET6, states, filter, &q);
        }
        ms[kind] = (cpu_seconds() - cpu0) * 1e3 / dumps;
    }
    printf("mode=synrecv dumps=%ld synrecv_ms=%.4f synrecv_requests=%ld synrecv_filtered_ms=%.4f "
           "synrecv_filtered_requests=%ld listen_ms=%.4f listeners=%ld\n",
           dumps, ms[0], seen[0], ms[1], seen[1], ms[2], seen[2]);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 6 && strcmp(argv[1], "round") == 0) {
        return mode_round(argv[2], atol(argv[3]), atol(argv[4]), atol(argv[5]));
    }
    if (argc == 6 && strcmp(argv[1], "idle") == 0) {
        return mode_idle(argv[2], atol(argv[3]), atol(argv[4]), atol(argv[5]));
    }
    if (argc == 5 && strcmp(argv[1], "synrecv") == 0) {
        return mode_synrecv(argv[2], atoi(argv[3]), atol(argv[4]));
    }
    fprintf(stderr, "usage: lqbench-floor round PREFIX FIRST COUNT ROUNDS\n"
                    "       lqbench-floor idle PREFIX FIRST COUNT ROUNDS\n"
                    "       lqbench-floor synrecv NAMESPACE PORT DUMPS\n");
    return 2;
}
