package dev.multipath.examples;

import dev.multipath.auth.StaticKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code portal genkey} and {@code portal pubkey}, as in WireGuard: keys are base64 X25519, one per line. */
final class KeyCommands {

    private KeyCommands() {
    }

    /** Prints a new private key. */
    @Command(name = "genkey", mixinStandardHelpOptions = true,
            description = "Prints a new private key (base64) on stdout. Store it with owner-only permissions:%n"
                    + "  umask 077; portal genkey > local.key")
    static final class GenKey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(StaticKeys.generatePrivateKeyBase64());
            return ExitCodes.OK;
        }
    }

    /** Reads a private key on stdin and prints its public key. */
    @Command(name = "pubkey", mixinStandardHelpOptions = true,
            description = "Reads a private key (base64) on stdin and prints its public key:%n"
                    + "  portal pubkey < local.key")
    static final class PubKey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
            String line = in.readLine();
            if (line == null || line.isBlank()) {
                throw new CliFailure(ExitCodes.BAD_USAGE_OR_CONFIG, "pubkey: expected a private key on stdin", null);
            }
            try {
                spec.commandLine().getOut().println(StaticKeys.publicKeyBase64(line.trim()));
            } catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCodes.BAD_USAGE_OR_CONFIG, "pubkey: " + e.getMessage(), e);
            }
            return ExitCodes.OK;
        }
    }
}
