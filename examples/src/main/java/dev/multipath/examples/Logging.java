package dev.multipath.examples;

/**
 * Sets slf4j-simple's levels before the first logger is created. The quiet defaults (INFO for dev.multipath,
 * WARN for everything else) are in {@code simplelogger.properties}; system properties override that file, and a
 * level the user set with {@code -D} is left alone.
 */
final class Logging {

    private static final String OUR_LEVEL = "org.slf4j.simpleLogger.log.dev.multipath";
    private static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private Logging() {
    }

    static void configure(boolean verbose) {
        if (verbose) {
            setUnlessGiven(OUR_LEVEL, "debug");
            setUnlessGiven(DEFAULT_LEVEL, "info");
        }
    }

    private static void setUnlessGiven(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
