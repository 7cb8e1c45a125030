package dev.multipath.frame;

/** The Internet checksum's arithmetic (RFC 1071), for the in-place rewrites of {@link MssClamp} and {@link EcnMark}. */
final class OnesComplement {

    private OnesComplement() {
    }

    /** The big-endian 16-bit word at {@code at}. */
    static int word(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    /** Folds the carries of a 32-bit sum into 16 bits. */
    static int fold(int sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum;
    }

    /**
     * The checksum after words summing to {@code oldSum} were replaced by words summing to {@code newSum} (RFC 1624,
     * eqn. 3: HC' = ~(~HC + ~m + m')).
     */
    static int update(int checksum, int oldSum, int newSum) {
        int sum = (~checksum & 0xffff) + (~fold(oldSum) & 0xffff) + fold(newSum);
        return ~fold(sum) & 0xffff;
    }
}
