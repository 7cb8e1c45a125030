package dev.multipath.examples.config;

/** Valid config texts that tests take apart. */
public final class SampleConfigs {

    /** Test-only key pairs (never use these anywhere real). */
    public static final String LOCAL_PRIVATE = "V65rNu35/zA9q/ZHWyzducMyWzRQ5CTyNY9auSZzmo0=";
    public static final String LOCAL_PUBLIC = "PyTM1SY1tjNAfR/iK53/U2aeMpUf7t90qi+n3R4QFkg=";
    public static final String REMOTE_PRIVATE = "z/GL85JomRqE+58ELxf1fq2PcgV9AxLANcNMuevkSLA=";
    public static final String REMOTE_PUBLIC = "NMA4BPFzzq4wWcjIYbB1pKdL82p5QBJDiBUFmcahmRY=";

    public static final String LOCAL = String.join("\n",
            "[portal]",
            "role = \"local\"",
            "tun = \"mp0\"",
            "address = \"172.19.152.2/30\"",
            "private_key = \"" + LOCAL_PRIVATE + "\"",
            "",
            "[peer]",
            "public_key = \"" + REMOTE_PUBLIC + "\"",
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
            "private_key = \"" + REMOTE_PRIVATE + "\"",
            "",
            "[peer]",
            "public_key = \"" + LOCAL_PUBLIC + "\"",
            "");

    private SampleConfigs() {
    }
}
