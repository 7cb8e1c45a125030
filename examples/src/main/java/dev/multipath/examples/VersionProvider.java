package dev.multipath.examples;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code portal --version}: the Maven project version, from a resource that the build filters (so it also works
 * when running from classes, not only from the shaded jar), plus the Java runtime and platform.
 */
final class VersionProvider implements IVersionProvider {

    static final String RESOURCE = "/dev/multipath/examples/version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {
            "portal " + projectVersion(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }

    /** The project version, or "unknown" if the resource is missing or was not filtered. */
    static String projectVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unknown");
            return version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
