package dev.multipath.lab.topo;

/**
 * The lab's address plan for one topology, parameterised by the second octet {@code x}. Immutable.
 * <pre>
 * client 10.x.0.2/24 -- lp 10.x.0.1/24
 * link i (1-based): lp 10.x.(10+i).1/24 -- [middle i] -- rp 10.x.(10+i).2/24
 * rp 10.x.1.1/24 -- server 10.x.1.2/24
 * TUN: lp 172.19.x.1/30, rp 172.19.x.2/30
 * </pre>
 */
public record Addressing(int x) {

    public Addressing {
        if (x < 1 || x > 254) {
            throw new IllegalArgumentException("x out of range: " + x);
        }
    }

    public String clientIp() {
        return "10." + x + ".0.2";
    }

    public String lpClientSideIp() {
        return "10." + x + ".0.1";
    }

    public String clientSubnet() {
        return "10." + x + ".0.0/24";
    }

    public String serverIp() {
        return "10." + x + ".1.2";
    }

    public String rpServerSideIp() {
        return "10." + x + ".1.1";
    }

    public String serverSubnet() {
        return "10." + x + ".1.0/24";
    }

    public String lpLinkIp(int link) {
        return "10." + x + "." + (10 + link) + ".1";
    }

    public String rpLinkIp(int link) {
        return "10." + x + "." + (10 + link) + ".2";
    }

    public String lpTunCidr() {
        return "172.19." + x + ".1/30";
    }

    public String rpTunCidr() {
        return "172.19." + x + ".2/30";
    }

    public String lpTunIp() {
        return "172.19." + x + ".1";
    }

    public String rpTunIp() {
        return "172.19." + x + ".2";
    }
}
