package dev.multipath.lab.report;

import java.util.List;

/**
 * The whole of results.json. Immutable.
 *
 * @param schema    schema version (see docs/evaluation.md)
 * @param generated ISO-8601 time written
 * @param machine   host description: kernel, CPUs, Java
 * @param command   the lab command line
 * @param scenarios results per scenario, in run order
 */
public record LabResults(int schema, String generated, String machine, String command,
        List<ScenarioRecord> scenarios) {
}
