/*
 * Sends one IPv6 router advertisement (router lifetime 1800 s, no options) to ff02::1 on the interface named in
 * argv[1], as a router would: SingleInterfaceRemoteNetnsTest gives the remote portal an IPv6 default route learned
 * from RA ("proto ra"), the kind that turning IPv6 forwarding on deletes unless accept_ra is 2.
 * Build: gcc -O2 -o send_ra send_ra.c
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: send_ra INTERFACE\n");
        return 2;
    }
    unsigned int index = if_nametoindex(argv[1]);
    if (index == 0) {
        perror("if_nametoindex");
        return 1;
    }
    int fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6); /* the kernel fills in the ICMPv6 checksum */
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    int hops = 255; /* receivers drop router advertisements with any other hop limit */
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof hops) < 0
            || setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &index, sizeof index) < 0) {
        perror("setsockopt");
        return 1;
    }
    /* type 134, code 0, checksum 0, hop limit 64, flags 0, router lifetime 1800, reachable 0, retransmit 0 */
    unsigned char ra[16] = {134, 0, 0, 0, 64, 0, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0};
    struct sockaddr_in6 to;
    memset(&to, 0, sizeof to);
    to.sin6_family = AF_INET6;
    to.sin6_scope_id = index;
    inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
    if (sendto(fd, ra, sizeof ra, 0, (struct sockaddr *) &to, sizeof to) != (ssize_t) sizeof ra) {
        perror("sendto");
        return 1;
    }
    return 0;
}
