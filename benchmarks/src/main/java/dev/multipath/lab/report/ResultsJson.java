package dev.multipath.lab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.multipath.lab.LabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes results.json (schema in docs/evaluation.md). Thread-safe. */
public final class ResultsJson {
    /** Current schema version. */
    public static final int SCHEMA = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsJson() {
    }

    /** Writes {@code results} to {@code file} atomically (temp file then rename). */
    public static void write(LabResults results, Path file) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            MAPPER.writeValue(tmp.toFile(), results);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LabException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a results.json written by {@link #write}. */
    public static LabResults read(Path file) {
        try {
            return MAPPER.readValue(file.toFile(), LabResults.class);
        } catch (IOException e) {
            throw new LabException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
