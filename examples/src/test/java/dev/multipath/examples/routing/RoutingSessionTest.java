package dev.multipath.examples.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multipath.examples.config.PortalConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applying a plan records what was added; failures roll back; down removes exactly the record. */
class RoutingSessionTest {

    @TempDir
    Path dir;

    /** Records commands; fails those listed. */
    static final class FakeRunner implements CommandRunner {
        final List<String> ran = new ArrayList<>();
        final Set<String> failing = new HashSet<>();

        @Override
        public String run(HostCommand command) throws RoutingException {
            ran.add(command.toString());
            if (failing.contains(command.toString())) {
                throw new RoutingException("'" + command + "' failed: RTNETLINK answers: File exists");
            }
            return "";
        }
    }

    private RoutingPlan plan() throws Exception {
        return RoutingPlanner.plan(PortalConfig.parse(RoutingPlannerTest.LOCAL), RoutingPlannerTest.localFacts(), true);
    }

    @Test
    void upRecordsUndosAndCloseRunsThemNewestFirst() throws Exception {
        FakeRunner runner = new FakeRunner();
        RoutingStateFile state = new RoutingStateFile(dir.resolve("run/mp0.routing"));
        RoutingPlan plan = plan();
        List<String> log = new ArrayList<>();

        RoutingSession session = RoutingSession.apply(plan, runner, state, log::add);
        assertThat(runner.ran).isEqualTo(plan.upCommands().stream().map(HostCommand::toString).toList());
        List<HostCommand> recorded = state.read();
        assertThat(recorded).hasSize(plan.downCommands().size());
        assertThat(Files.readString(state.path())).contains("ip\t-4\trule\tdel\tfrom\t10.0.1.1/32\ttable\t7801");

        assertThatThrownBy(() -> RoutingSession.apply(plan, runner, state, log::add))
                .hasMessageContaining("routing is already up");

        runner.ran.clear();
        session.close();
        assertThat(runner.ran).isEqualTo(plan.downCommands().stream().map(HostCommand::toString).toList());
        assertThat(state.exists()).isFalse();
        runner.ran.clear();
        session.close();
        assertThat(runner.ran).as("close is idempotent").isEmpty();
    }

    @Test
    void aFailedStepRollsBackOnlyWhatWasAdded() throws Exception {
        FakeRunner runner = new FakeRunner();
        runner.failing.add("ip -6 route add default via fe80::1 dev wwan0 table 7803");
        RoutingStateFile state = new RoutingStateFile(dir.resolve("mp0.routing"));

        assertThatThrownBy(() -> RoutingSession.apply(plan(), runner, state, l -> { }))
                .isInstanceOf(RoutingException.class)
                .hasMessageContaining("File exists").hasMessageContaining("the steps before it were undone");
        int failedAt = runner.ran.indexOf("ip -6 route add default via fe80::1 dev wwan0 table 7803");
        assertThat(runner.ran.subList(failedAt + 1, runner.ran.size())).containsExactly(
                "ip -4 rule del from 10.0.1.1/32 table 7801 priority 7801",
                "ip -4 route del default via 10.0.1.254 dev eth1 table 7801",
                "sysctl -w net.ipv6.conf.all.forwarding=0",
                "sysctl -w net.ipv4.ip_forward=0",
                "ip -6 address del fd00:19::2/64 dev mp0",
                "ip -4 address del 172.19.152.2/30 dev mp0",
                "ip tuntap del dev mp0 mode tun");
        assertThat(state.exists()).isFalse();
    }

    @Test
    void downRunsTheRecordAndKeepsOnlyWhatFailed() throws Exception {
        FakeRunner runner = new FakeRunner();
        RoutingStateFile state = new RoutingStateFile(dir.resolve("mp0.routing"));
        RoutingPlan plan = plan();
        RoutingSession.apply(plan, runner, state, l -> { });

        List<String> printed = new ArrayList<>();
        runner.ran.clear();
        RoutingSession.teardownRecorded(state, runner, printed::add, true);
        assertThat(runner.ran).as("dry run runs nothing").isEmpty();
        assertThat(printed).isEqualTo(plan.downCommands().stream().map(HostCommand::toString).toList());

        runner.failing.add("ip -4 route del 10.9.0.0/16 dev mp0");
        List<String> failures = RoutingSession.teardownRecorded(state, runner, l -> { }, false);
        assertThat(failures).hasSize(1);
        assertThat(runner.ran).isEqualTo(printed);
        assertThat(state.read()).extracting(HostCommand::toString).containsExactly("ip -4 route del 10.9.0.0/16 dev mp0");

        runner.failing.clear();
        runner.ran.clear();
        assertThat(RoutingSession.teardownRecorded(state, runner, l -> { }, false)).isEmpty();
        assertThat(runner.ran).containsExactly("ip -4 route del 10.9.0.0/16 dev mp0");
        assertThat(state.exists()).isFalse();
        assertThatThrownBy(state::read).hasMessageContaining("routing is not up");
    }
}
