package dev.multipath.examples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of config error names its key and says what is wrong. */
class ConfigErrorsTest {

    private static final String LOCAL = SampleConfigs.LOCAL;
    private static final String REMOTE = SampleConfigs.REMOTE;

    private static ConfigException error(String toml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> PortalConfig.parse(toml));
        assertThat(e).as("expected a ConfigException for:%n%s", toml).isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n");
        return e;
    }

    private static void assertError(String toml, String key, String messageContains) {
        ConfigException e = error(toml);
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).startsWith(key + ": ").contains(messageContains);
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        // replace this                 | with this                          | key              | message contains
        "remote = \"10.0.1.2:4789\"     | remote = \"10.0.0.1\"              | path[1].remote   | expected host:port with an IP address (host names are not resolved; IPv6 as [address]:port), got '10.0.0.1'",
        "remote = \"10.0.2.2:4789\"     | remote = \"portal.example:4789\"   | path[2].remote   | got 'portal.example:4789'",
        "remote = \"10.0.1.2:4789\"     | remote = \"10.0.1.2:70000\"        | path[1].remote   | got '10.0.1.2:70000'",
        "remote = \"10.0.1.2:4789\"     | remote = \"10.0.1.2:0\"            | path[1].remote   | got '10.0.1.2:0'",
        "remote = \"10.0.1.2:4789\"     | remote = \"fd00::2:4789\"          | path[1].remote   | got 'fd00::2:4789'",
        "remote = \"10.0.1.2:4789\"     | remote = \"[fd00::2]:4789\"        | path[1].remote   | address family differs from path[1].local",
        "local = \"10.0.1.1\"           | local = \"10.0.1.256\"             | path[1].local    | expected an IPv4 or IPv6 address (host names are not resolved), got '10.0.1.256'",
        "local = \"10.0.1.1\"           | local = \"dsl-modem\"              | path[1].local    | got 'dsl-modem'",
        "local = \"10.0.1.1\"           | local = \"10.0.1.1:5000\"          | path[1].local    | got '10.0.1.1:5000'",
        "transport = \"tcp\"            | transport = \"quic\"               | path[1].transport| expected one of tcp|udp|rawip, got 'quic'",
        "transport = \"tcp\"            | transport = \"TCP\"                | path[1].transport| got 'TCP'",
        "metric = 10                    | metric = 256                       | path[2].metric   | expected an integer from 0 to 255, got 256",
        "metric = 10                    | metric = -1                        | path[2].metric   | expected an integer from 0 to 255, got -1",
        "metric = 10                    | metric = 1.5                       | path[2].metric   | expected an integer, got 1.5",
        "metric = 10                    | metric = \"10\"                    | path[2].metric   | expected an integer, got '10'",
        "metric = 10                    | speed = 10                         | path[2].speed    | unknown key in [path]",
        "name = \"lte\"                 | name = \"dsl\"                     | path[2].name     | duplicate path name 'dsl' (also path[1])",
        "name = \"lte\"                 | name = \"my lte\"                  | path[2].name     | got 'my lte'",
        "name = \"lte\"                 | nome = \"lte\"                     | path[2].name     | missing required key",
        "role = \"local\"               | role = \"client\"                  | portal.role      | expected \"local\" or \"remote\", got 'client'",
        "role = \"local\"               | role = 1                           | portal.role      | expected a string in quotes, got 1",
        "role = \"local\"               | `#`                                | portal.role      | missing required key",
        "tun = \"mp0\"                  | tun = \"a-name-that-is-too-long\"  | portal.tun       | expected an interface name of 1 to 15 characters",
        "tun = \"mp0\"                  | `#`                                | portal.tun       | missing required key",
        "address = \"172.19.152.2/30\"  | address = \"172.19.152.2\"         | portal.address   | expected an address with prefix length such as 172.19.152.2/30, got '172.19.152.2'",
        "address = \"172.19.152.2/30\"  | address = \"172.19.152.2/33\"      | portal.address   | got '172.19.152.2/33'",
        "address = \"172.19.152.2/30\"  | address = \"fd00::1/129\"          | portal.address   | got 'fd00::1/129'",
        "address = \"172.19.152.2/30\"  | mtu = 575                          | portal.mtu       | expected an integer from 576 to 9000, got 575",
        "address = \"172.19.152.2/30\"  | mtu = 9001                         | portal.mtu       | expected an integer from 576 to 9000, got 9001",
        "address = \"172.19.152.2/30\"  | listen = \"0.0.0.0:4789\"          | portal.listen    | only a remote portal listens",
        "address = \"172.19.152.2/30\"  | adress = \"172.19.152.2/30\"       | portal.adress    | unknown key in [portal]",
        "[portal]                       | [portal]\\nfoo = true              | portal.foo       | unknown key in [portal]",
        "[portal]                       | [portals]                          | portal           | missing required table [portal]",
    })
    void localPortalErrors(String original, String replacement, String key, String messageContains) {
        assertThat(LOCAL).contains(original);
        assertError(LOCAL.replace(original, replacement.replace("\\n", "\n")), key.strip(), messageContains);
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "listen = \"0.0.0.0:4789\"      | listen = \"0.0.0.0\"               | portal.listen    | expected host:port with an IP address",
        "listen = \"0.0.0.0:4789\"      | listen = \"any:4789\"              | portal.listen    | got 'any:4789'",
        "listen = \"0.0.0.0:4789\"      | # no listen                        | portal.listen    | missing required key (a remote portal needs",
        "mtu = 1500                     | mtu = \"1500\"                     | portal.mtu       | expected an integer, got '1500'",
    })
    void remotePortalErrors(String original, String replacement, String key, String messageContains) {
        assertThat(REMOTE).contains(original);
        assertError(REMOTE.replace(original, replacement), key.strip(), messageContains);
    }

    @org.junit.jupiter.api.Test
    void roleSpecificPathRules() {
        String localWithoutPaths = LOCAL.substring(0, LOCAL.indexOf("[[path]]"));
        assertError(localWithoutPaths, "path", "a local portal needs at least one [[path]] table");
        assertError(REMOTE + "\n[[path]]\nname = \"dsl\"\n", "path", "a remote portal has no [[path]] tables");
        assertError(localWithoutPaths + "[path]\nname = \"dsl\"\n", "path", "expected [[path]] tables (double brackets)");
    }

    @org.junit.jupiter.api.Test
    void unknownTopLevelTableIsRejectedByName() {
        assertError(REMOTE + "\n[bogus]\nx = 1\n", "bogus", "unknown key (top-level tables are");
    }

    @org.junit.jupiter.api.Test
    void syntaxErrorsSayWhere() {
        ConfigException e = error("[portal]\nrole = local\n");
        assertThat(e.key()).isEmpty();
        assertThat(e.getMessage()).startsWith("TOML syntax error at line 2");
    }

    @org.junit.jupiter.api.Test
    void duplicateKeysAreSyntaxErrors() {
        ConfigException e = error("[portal]\nrole = \"remote\"\ntun = \"a\"\ntun = \"again\"\n");
        assertThat(e.getMessage()).startsWith("TOML syntax error");
    }

    @org.junit.jupiter.api.Test
    void emptyFileNeedsPortalTable() {
        assertError("", "portal", "missing required table [portal]");
    }
}
