/*
 * Load helper for the listenq scenario runner (io.listenq.benchmarks.scenario). Compiled at run time with
 * `gcc -O2`; one small process holds thousands of sockets for the cost of a few hundred KiB, where a JVM per
 * helper would cost tens of MiB each and skew the host's memory figures.
 *
 *   lqbench-helper listen PREFIX FIRST COUNT PER_NS BASE_PORT
 *       For each namespace PREFIX<i>, i in [FIRST, FIRST+COUNT): setns into /run/netns/PREFIX<i> and open PER_NS
 *       TCP listeners on 127.0.0.1:BASE_PORT+j (backlog 128). A socket stays in the namespace it was created in
 *       (sock_net is fixed at creation), so one thread can open them all and then serve them from one epoll:
 *       every connection is accepted and closed at once, so accept queues drain and stay (almost) empty. It
 *       brings each namespace's lo up first (as `ip -n NS link set lo up` would).
 *       PREFIX "-" means the helper's own namespace, once.
 *   lqbench-helper busy PREFIX FIRST COUNT EVERY PORT INTERVAL_MS
 *       Every INTERVAL_MS, for each i in [FIRST, FIRST+COUNT) with i % EVERY == 0: enter PREFIX<i> and connect
 *       once to 127.0.0.1:PORT, then close. Each connect is one handshake, one PassiveOpens in that namespace.
 *   lqbench-helper conns PORT PAIRS
 *       In the own namespace: listen on 127.0.0.1:PORT, then connect and accept PAIRS times, keeping both ends
 *       open (2 * PAIRS established sockets on the host's established hash).
 *   lqbench-helper trouble PREFIX INDEX FULL_PORT SYN_PORT HALF_OPEN
 *       A namespace in trouble, in PREFIX<INDEX>: a listener on FULL_PORT with backlog 4 that nobody accepts, filled
 *       (backlog+1 connections queued) and kept full: every second one more client sends a SYN, which the kernel
 *       drops (ListenOverflows and ListenDrops rise every second); clients older than 8 s are closed. And a
 *       listener on SYN_PORT with TCP_DEFER_ACCEPT (1 h): HALF_OPEN clients connect and send nothing, so the
 *       kernel drops their bare final ACK and keeps each request socket in SYN-RECV: the SYN-RECV dump has work.
 *   lqbench-helper churn PREFIX FIRST COUNT BASE_PORT INTERVAL_MS
 *       One listener per namespace PREFIX<i> (on BASE_PORT); every INTERVAL_MS the next namespace in turn has its
 *       listener replaced: a new one on the next port (BASE_PORT+1 .. BASE_PORT+500, cycling), then the old one
 *       closed. One series goes, another comes, as when a service restarts on a new port.
 *
 * Every mode prints "ready <n>" on stdout once set up and then runs until killed. PR_SET_PDEATHSIG makes the
 * helper die with the runner, so a crashed runner leaves no helper behind holding namespaces open.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what, long arg) {
    fprintf(stderr, "lqbench-helper: %s %ld: %s\n", what, arg, strerror(errno));
    exit(1);
}

static int enter(const char *prefix, long i) {
    if (strcmp(prefix, "-") == 0) {
        return 0;
    }
    char path[256];
    snprintf(path, sizeof path, "/run/netns/%s%ld", prefix, i);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        die("open namespace", i);
    }
    if (setns(fd, CLONE_NEWNET) != 0) {
        die("setns", i);
    }
    return fd;
}

/* A fresh namespace's lo is down and has no 127.0.0.1 until it comes up (inetdev_event, NETDEV_UP): what
 * `ip link set lo up` does, without a process per namespace. */
static void loopback_up(long i) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
        die("SIOCGIFFLAGS lo, namespace", i);
    }
    if (!(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) {
            die("SIOCSIFFLAGS lo, namespace", i);
        }
    }
    close(s);
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short) port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int listener(int port, int backlog, int nonblock) {
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), 0);
    if (s < 0) {
        die("socket for port", port);
    }
    int one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = loopback(port);
    if (bind(s, (struct sockaddr *) &a, sizeof a) != 0) {
        die("bind port", port);
    }
    if (listen(s, backlog) != 0) {
        die("listen port", port);
    }
    return s;
}

static _Noreturn void mode_listen(const char *prefix, long first, long count, long per_ns, int base_port) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        die("epoll_create1", 0);
    }
    long opened = 0;
    for (long i = first; i < first + count; i++) {
        int nsfd = enter(prefix, i);
        loopback_up(i);
        for (long j = 0; j < per_ns; j++) {
            int s = listener(base_port + (int) j, 128, 1);
            struct epoll_event ev = {.events = EPOLLIN, .data.fd = s};
            if (epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev) != 0) {
                die("epoll_ctl", s);
            }
            opened++;
        }
        if (nsfd > 0) {
            close(nsfd); /* the listeners keep the namespace alive */
        }
    }
    printf("ready %ld\n", opened);
    fflush(stdout);
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        for (int k = 0; k < n; k++) {
            int c;
            while ((c = accept4(events[k].data.fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
                close(c);
            }
        }
    }
}

static _Noreturn void mode_busy(const char *prefix, long first, long count, long every, int port, long interval_ms) {
    long n = 0;
    int *fds = calloc((size_t) count, sizeof(int));
    for (long i = first; i < first + count; i++) {
        if (i % every == 0) {
            char path[256];
            snprintf(path, sizeof path, "/run/netns/%s%ld", prefix, i);
            fds[n] = open(path, O_RDONLY | O_CLOEXEC);
            if (fds[n] < 0) {
                die("open namespace", i);
            }
            n++;
        }
    }
    printf("ready %ld\n", n);
    fflush(stdout);
    struct sockaddr_in a = loopback(port);
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (;;) {
        for (long k = 0; k < n; k++) {
            if (setns(fds[k], CLONE_NEWNET) != 0) {
                die("setns", k);
            }
            int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (s >= 0) {
                connect(s, (struct sockaddr *) &a, sizeof a); /* a refusal still counts as load: ignore */
                close(s);
            }
        }
        next.tv_nsec += interval_ms * 1000000L;
        while (next.tv_nsec >= 1000000000L) {
            next.tv_nsec -= 1000000000L;
            next.tv_sec++;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    }
}

static _Noreturn void mode_conns(int port, long pairs) {
    int l = listener(port, 4096, 0);
    struct sockaddr_in a = loopback(port);
    for (long k = 0; k < pairs; k++) {
        int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (c < 0) {
            die("socket, pair", k);
        }
        if (connect(c, (struct sockaddr *) &a, sizeof a) != 0) {
            die("connect, pair", k);
        }
        if (accept4(l, NULL, NULL, SOCK_CLOEXEC) < 0) {
            die("accept, pair", k);
        }
    }
    printf("ready %ld\n", pairs);
    fflush(stdout);
    for (;;) {
        pause();
    }
}

static int connect_nonblocking(int port) {
    int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (c < 0) {
        die("socket for port", port);
    }
    struct sockaddr_in a = loopback(port);
    if (connect(c, (struct sockaddr *) &a, sizeof a) != 0 && errno != EINPROGRESS) {
        die("connect to port", port);
    }
    return c;
}

static void sleep_ms(long ms) {
    struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static _Noreturn void mode_trouble(const char *prefix, long index, int full_port, int syn_port, long half_open) {
    enter(prefix, index);
    loopback_up(index);
    listener(full_port, 4, 1);
    for (int k = 0; k < 5; k++) { /* backlog 4 holds 5 */
        connect_nonblocking(full_port);
    }
    int syn = listener(syn_port, 64, 1);
    int defer = 3600;
    if (setsockopt(syn, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof defer) != 0) {
        die("TCP_DEFER_ACCEPT on port", syn_port);
    }
    for (long k = 0; k < half_open; k++) {
        connect_nonblocking(syn_port);
    }
    printf("ready %ld\n", half_open);
    fflush(stdout);
    int ring[8];
    for (int k = 0; k < 8; k++) {
        ring[k] = -1;
    }
    for (long t = 0;; t++) {
        sleep_ms(1000);
        if (ring[t % 8] >= 0) {
            close(ring[t % 8]);
        }
        ring[t % 8] = connect_nonblocking(full_port);
    }
}

static _Noreturn void mode_churn(const char *prefix, long first, long count, int base_port, long interval_ms) {
    int *nsfd = calloc((size_t) count, sizeof(int));
    int *lfd = calloc((size_t) count, sizeof(int));
    for (long i = 0; i < count; i++) {
        nsfd[i] = enter(prefix, first + i);
        loopback_up(first + i);
        lfd[i] = listener(base_port, 16, 0);
    }
    printf("ready %ld\n", count);
    fflush(stdout);
    for (long r = 0;; r++) {
        sleep_ms(interval_ms);
        long i = r % count;
        if (setns(nsfd[i], CLONE_NEWNET) != 0) {
            die("setns", first + i);
        }
        int fresh = listener(base_port + 1 + (int) ((r / count) % 500), 16, 0);
        close(lfd[i]);
        lfd[i] = fresh;
    }
}

int main(int argc, char **argv) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (argc == 7 && strcmp(argv[1], "listen") == 0) {
        mode_listen(argv[2], atol(argv[3]), atol(argv[4]), atol(argv[5]), atoi(argv[6]));
    }
    if (argc == 8 && strcmp(argv[1], "busy") == 0) {
        mode_busy(argv[2], atol(argv[3]), atol(argv[4]), atol(argv[5]), atoi(argv[6]), atol(argv[7]));
    }
    if (argc == 4 && strcmp(argv[1], "conns") == 0) {
        mode_conns(atoi(argv[2]), atol(argv[3]));
    }
    if (argc == 7 && strcmp(argv[1], "trouble") == 0) {
        mode_trouble(argv[2], atol(argv[3]), atoi(argv[4]), atoi(argv[5]), atol(argv[6]));
    }
    if (argc == 7 && strcmp(argv[1], "churn") == 0) {
        mode_churn(argv[2], atol(argv[3]), atol(argv[4]), atoi(argv[5]), atol(argv[6]));
    }
    fprintf(stderr, "usage: lqbench-helper listen PREFIX FIRST COUNT PER_NS BASE_PORT\n"
                    "       lqbench-helper busy PREFIX FIRST COUNT EVERY PORT INTERVAL_MS\n"
                    "       lqbench-helper conns PORT PAIRS\n"
                    "       lqbench-helper trouble PREFIX INDEX FULL_PORT SYN_PORT HALF_OPEN\n"
                    "       lqbench-helper churn PREFIX FIRST COUNT BASE_PORT INTERVAL_MS\n");
    return 2;
}
