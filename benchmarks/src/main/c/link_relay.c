/*
 * link_relay: the lab's link emulator for delay and loss (this kernel has no netem).
 *
 * Bridges two interfaces of a middle network namespace with AF_PACKET sockets. Every frame received on one side is held
 * in a timed FIFO for the one-way delay and then sent out of the other side; frames are dropped at random with the given
 * probability and when the FIFO holds more than the queue limit. Rate is NOT done here: tbf on the middle namespace's
 * egress shapes the frames after this relay writes them (a constant delay commutes with a FIFO queue, so delay-then-queue
 * behaves like queue-then-delay). PACKET_VNET_HDR passes GSO frames and partial checksums through untouched.
 *
 * usage: link_relay IF_A IF_B DELAY_US LOSS_PPM QUEUE_LIMIT_PKTS SEED
 *   LOSS_PPM: loss probability in parts per million; QUEUE_LIMIT_PKTS: 0 = only bounded by the 16 MiB ring per direction.
 * On SIGTERM/SIGINT it prints its counters to stderr and exits 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RING_BYTES (16u << 20)
#define MAX_FRAME (65536 + 256)
#define WRAP_MARK 0xFFFFFFFFu

typedef struct { uint64_t deadline_ns; uint32_t len; uint32_t pad; } entry_t;

typedef struct {
    uint8_t *buf;
    size_t head, tail;
    uint64_t count;
    uint64_t rx, tx, lost, qdrop, txdrop;
} ring_t;

static volatile sig_atomic_t stop_flag = 0;
static void on_signal(int sig) { (void)sig; stop_flag = 1; }

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

/* xorshift64*: fast, good enough for loss decisions. */
static uint64_t rng_state;
static double rnd01(void) {
    rng_state ^= rng_state >> 12; rng_state ^= rng_state << 25; rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

static int open_socket(const char *ifname) {
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    if (fd < 0) { perror("socket"); exit(2); }
    int one = 1;
    if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof one) < 0) { perror("PACKET_VNET_HDR"); exit(2); }
    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one); /* older kernels: pkttype check below */
    int big = 8 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big) < 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big) < 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = (int)if_nametoindex(ifname);
    if (sll.sll_ifindex == 0) { fprintf(stderr, "link_relay: no interface %s\n", ifname); exit(2); }
    if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) { perror("bind"); exit(2); }
    struct packet_mreq mr;
    memset(&mr, 0, sizeof mr);
    mr.mr_ifindex = sll.sll_ifindex;
    mr.mr_type = PACKET_MR_PROMISC;
    setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr);
    return fd;
}

/* Room for one more maximal frame at the tail? Wraps the tail to 0 when the end of the buffer is too short. */
static int reserve(ring_t *r) {
    size_t need = sizeof(entry_t) + MAX_FRAME + 8;
    if (r->count == 0) { r->head = r->tail = 0; return 1; }
    if (r->tail >= r->head) {
        if (RING_BYTES - r->tail >= need) return 1;
        if (r->head > need) {
            ((entry_t *)(r->buf + r->tail))->len = WRAP_MARK;
            r->tail = 0;
            return 1;
        }
        return 0;
    }
    return r->head - r->tail > need;
}

/* Number of wire segments a (possibly GSO) frame stands for, so loss applies per packet, not per super-frame. */
static int segments(const uint8_t *frame, ssize_t n) {
    const struct virtio_net_hdr *vh = (const struct virtio_net_hdr *)frame;
    if (vh->gso_type == VIRTIO_NET_HDR_GSO_NONE || vh->gso_size == 0) return 1;
    ssize_t payload = n - (ssize_t)sizeof *vh - vh->hdr_len;
    if (payload <= 0) return 1;
    return (int)((payload + vh->gso_size - 1) / vh->gso_size);
}

static void receive_all(int fd, ring_t *r, uint64_t delay_ns, double loss, uint64_t qlimit) {
    for (;;) {
        if (!reserve(r)) { /* ring full: read and drop so the socket does not back up */
            static uint8_t scratch[MAX_FRAME];
            if (recv(fd, scratch, sizeof scratch, MSG_DONTWAIT) <= 0) return;
            r->rx++; r->qdrop++;
            continue;
        }
        entry_t *e = (entry_t *)(r->buf + r->tail);
        uint8_t *data = (uint8_t *)(e + 1);
        struct sockaddr_ll from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(fd, data, MAX_FRAME, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
        if (n <= 0) return;
        if (from.sll_pkttype == PACKET_OUTGOING) continue;
        r->rx++;
        if (loss > 0) {
            int segs = segments(data, n);
            double keep = 1.0;
            for (int i = 0; i < segs; i++) keep *= (1.0 - loss);
            if (rnd01() >= keep) { r->lost++; continue; }
        }
        if (qlimit > 0 && r->count >= qlimit) { r->qdrop++; continue; }
        e->deadline_ns = now_ns() + delay_ns;
        e->len = (uint32_t)n;
        r->tail += align8(sizeof(entry_t) + (size_t)n);
        r->count++;
    }
}

/* Sends every frame whose time has come; returns the earliest remaining deadline, or 0 if the FIFO is empty. */
static uint64_t send_due(int fd, ring_t *r, uint64_t now) {
    while (r->count > 0) {
        entry_t *e = (entry_t *)(r->buf + r->head);
        if (e->len == WRAP_MARK) { r->head = 0; continue; }
        if (e->deadline_ns > now) return e->deadline_ns;
        ssize_t s = send(fd, (uint8_t *)(e + 1), e->len, 0);
        if (s < 0) r->txdrop++; /* ENOBUFS: the shaper's queue is full, a tail drop like a real link */
        else r->tx++;
        r->head += align8(sizeof(entry_t) + e->len);
        r->count--;
    }
    r->head = r->tail = 0;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: %s IF_A IF_B DELAY_US LOSS_PPM QUEUE_LIMIT_PKTS SEED\n", argv[0]);
        return 2;
    }
    uint64_t delay_ns = strtoull(argv[3], NULL, 10) * 1000ull;
    double loss = strtod(argv[4], NULL) / 1e6;
    uint64_t qlimit = strtoull(argv[5], NULL, 10);
    rng_state = strtoull(argv[6], NULL, 10) | 1;
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);

    int fd[2] = { open_socket(argv[1]), open_socket(argv[2]) };
    ring_t ring[2]; /* ring[i] holds frames received on fd[i], to be sent on fd[1-i] */
    memset(ring, 0, sizeof ring);
    for (int i = 0; i < 2; i++) {
        ring[i].buf = malloc(RING_BYTES);
        if (!ring[i].buf) { perror("malloc"); return 2; }
    }
    fprintf(stderr, "link_relay: %s <-> %s delay %.3f ms loss %.4f%% qlimit %llu\n", argv[1], argv[2],
            delay_ns / 1e6, loss * 100, (unsigned long long)qlimit);

    struct pollfd pfd[2] = { { fd[0], POLLIN, 0 }, { fd[1], POLLIN, 0 } };
    while (!stop_flag) {
        uint64_t now = now_ns();
        uint64_t next = 0;
        for (int i = 0; i < 2; i++) {
            uint64_t d = send_due(fd[1 - i], &ring[i], now);
            if (d && (!next || d < next)) next = d;
        }
        struct timespec ts, *tsp = NULL;
        if (next) {
            uint64_t wait = next > now ? next - now : 0;
            ts.tv_sec = (time_t)(wait / 1000000000ull);
            ts.tv_nsec = (long)(wait % 1000000000ull);
            tsp = &ts;
        }
        int rc = ppoll(pfd, 2, tsp, NULL);
        if (rc < 0 && errno != EINTR) { perror("ppoll"); return 2; }
        for (int i = 0; i < 2; i++)
            if (pfd[i].revents & (POLLIN | POLLERR)) receive_all(fd[i], &ring[i], delay_ns, loss, qlimit);
    }
    for (int i = 0; i < 2; i++)
        fprintf(stderr, "link_relay: %s->%s rx %llu tx %llu lost %llu qdrop %llu txdrop %llu\n", argv[1 + i],
                argv[2 - i], (unsigned long long)ring[i].rx, (unsigned long long)ring[i].tx,
                (unsigned long long)ring[i].lost, (unsigned long long)ring[i].qdrop,
                (unsigned long long)ring[i].txdrop);
    return 0;
}
