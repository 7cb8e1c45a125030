package dev.multipath.lab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunOptionsTest {

    @Test
    void tunnelRunsAreWarmedUpUnlessCold() {
        assertFalse(RunOptions.defaults().cold());
        assertTrue(RunOptions.defaults().withCold(true).cold());
    }

    @Test
    void everyWitherKeepsTheOtherSettings() {
        RunOptions o = RunOptions.defaults().withCold(true).withEcn(true).withCc("bbr").withRepeat(3)
                .withTransport("tcp").withDuration(6).withBaselinesOnly(true).withDirections(List.of("inbound"))
                .withEveryLink(true).withParallel(2).withScheduler("greedy");
        assertTrue(o.cold());
        assertTrue(o.ecn());
        assertEquals("bbr", o.cc());
        assertEquals(3, o.maxRuns());
        assertEquals("tcp", o.transport());
        assertEquals(6, o.durationOverride());
        assertTrue(o.baselinesOnly());
        assertEquals(List.of("inbound"), o.directions());
        assertTrue(o.everyLink());
        assertEquals(2, o.parallel());
        assertEquals("greedy", o.scheduler());
        assertEquals("bbr+ecn", o.ccLabel());
    }

    @Test
    void badValuesAreRefusedWithTheOptionsName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunOptions.defaults().withCc("vegas"));
        assertTrue(e.getMessage().contains("--cc"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunOptions.defaults().withParallel(0));
        assertThrows(IllegalArgumentException.class, () -> RunOptions.defaults().withDirections(List.of("up")));
    }
}
