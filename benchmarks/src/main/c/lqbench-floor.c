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

static int open_netns(const char *name) {
    char path[300];
    snprintf(path, sizeof path, "/run/netns/%s", name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        die("open", path);
    }
    return fd;
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
    long seen = 0;
    for (;;) {
        ssize_t n = recv(s, buf, sizeof buf, 0);
        if (n < 0) {
            die("recv", "sock_diag reply");
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *) buf; NLMSG_OK(h, (size_t) n); h = NLMSG_NEXT(h, n)) {
            if (h->nlmsg_type == NLMSG_DONE) {
                int err = *(int *) NLMSG_DATA(h);
                if (err < 0) {
                    errno = -err;
                    die("dump", "NLMSG_DONE");
                }
                return seen;
            }
            if (h->nlmsg_type == NLMSG_ERROR) {
                errno = -((struct nlmsgerr *) NLMSG_DATA(h))->error;
                die("dump", "NLMSG_ERROR");
            }
            struct inet_diag_msg *m = NLMSG_DATA(h);
            *queues += m->idiag_rqueue + m->idiag_wqueue;
            seen++;
        }
    }
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
    if (argc == 5 && strcmp(argv[1], "synrecv") == 0) {
        return mode_synrecv(argv[2], atoi(argv[3]), atol(argv[4]));
    }
    fprintf(stderr, "usage: lqbench-floor round PREFIX FIRST COUNT ROUNDS\n"
                    "       lqbench-floor synrecv NAMESPACE PORT DUMPS\n");
    return 2;
}
