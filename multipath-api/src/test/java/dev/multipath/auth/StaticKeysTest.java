package dev.multipath.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.subtle.X25519;
import org.junit.jupiter.api.Test;

class StaticKeysTest {

    @Test
    void base64RoundTripAndWireGuardLength() {
        String priv = StaticKeys.generatePrivateKeyBase64();
        assertThat(priv).hasSize(44).endsWith("=");
        assertThat(StaticKeys.encode(StaticKeys.decode(" " + priv + "\n"))).isEqualTo(priv);
    }

    @Test
    void publicKeysAgreeOnASharedSecret() throws Exception {
        byte[] a = StaticKeys.generatePrivateKey();
        byte[] b = StaticKeys.generatePrivateKey();
        assertThat(X25519.computeSharedSecret(a, StaticKeys.publicKey(b)))
                .isEqualTo(X25519.computeSharedSecret(b, StaticKeys.publicKey(a)));
        assertThat(StaticKeys.publicKeyBase64(StaticKeys.encode(a))).isEqualTo(StaticKeys.encode(StaticKeys.publicKey(a)));
    }

    @Test
    void knownVectorFromRfc7748() {
        // RFC 7748 section 6.1: Alice's private and public key.
        byte[] priv = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        assertThat(StaticKeys.publicKey(priv))
                .isEqualTo(hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
    }

    @Test
    void rejectsBadKeysWithClearMessages() {
        assertThatThrownBy(() -> StaticKeys.decode("not base64!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64");
        assertThatThrownBy(() -> StaticKeys.decode("AAAA")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> StaticKeys.decode(null)).hasMessageContaining("missing");
        assertThatThrownBy(() -> AuthMode.parse("both")).hasMessageContaining("authenticate");
        assertThat(AuthMode.parse(" Encrypt")).isEqualTo(AuthMode.ENCRYPT);
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
