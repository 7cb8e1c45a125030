package dev.multipath.examples.config;

/** Valid config texts that tests take apart. */
public final class SampleConfigs {

    public static final String LOCAL = String.join("\n",
            "[portal]",
            "role = \"local\"",
            "tun = \"mp0\"",
            "address = \"172.19.152.2/30\"",
            "",
            "[[path]]",
            "name = \"dsl\"",
            "transport = \"tcp\"",
            "local = \"10.0.1.1\"",
            "remote = \"10.0.1.2:4789\"",
            "",
            "[[path]]",
            "name = \"lte\"",
            "transport = \"udp\"",
            "local = \"10.0.2.1\"",
            "remote = \"10.0.2.2:4789\"",
            "metric = 10",
            "");

    public static final String REMOTE = String.join("\n",
            "[portal]",
            "role = \"remote\"",
            "tun = \"mp1\"",
            "mtu = 1500",
            "listen = \"0.0.0.0:4789\"",
            "");

    private SampleConfigs() {
    }
}
