package dev.multipath.tun;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Layout of Linux {@code struct ifreq} (40 bytes on 64-bit): the interface name, NUL-terminated, in the first 16
 * bytes, then a union at offset 16 holding either {@code short ifr_flags} or {@code int ifr_mtu}. Values are in
 * native byte order. Kept pure (plain direct ByteBuffers) so the layout is unit-tested without root.
 */
final class IfReq {
    static final int SIZE = 40;
    /** IFNAMSIZ: the name plus its terminating NUL. */
    static final int NAME_SIZE = 16;
    static final int UNION_OFFSET = 16;

    private IfReq() {
    }

    /** A zeroed ifreq in native memory (native byte order), ready to pass to ioctl. */
    static ByteBuffer allocate() {
        return ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
    }

    /**
     * Checks an interface name: 1..15 bytes of printable ASCII without '/', ':' or whitespace (what the kernel's
     * dev_valid_name accepts, minus ':' which aliases use). A "%d" lets the kernel pick a number.
     *
     * @throws IOException with a one-line message saying what is wrong
     */
    static byte[] validName(String name) throws IOException {
        if (name == null || name.isEmpty()) {
            throw new IOException("TUN name is empty");
        }
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        if (b.length > NAME_SIZE - 1) {
            throw new IOException("TUN name '" + name + "' is too long: " + b.length + " bytes, at most "
                    + (NAME_SIZE - 1));
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IOException("TUN name '" + name + "' is not a valid interface name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c > '~' || c == '/' || c == ':') {
                throw new IOException("TUN name '" + name + "' contains an invalid character at " + i);
            }
        }
        return b;
    }

    /** Clears the whole struct and writes {@code name} NUL-terminated at offset 0. */
    static void setName(ByteBuffer ifr, byte[] name) {
        for (int i = 0; i < SIZE; i++) {
            ifr.put(i, (byte) 0);
        }
        ifr.put(0, name);
    }

    /** The name up to its NUL (the kernel writes back the final name, e.g. after "%d"). */
    static String name(ByteBuffer ifr) {
        int len = 0;
        while (len < NAME_SIZE && ifr.get(len) != 0) {
            len++;
        }
        byte[] b = new byte[len];
        ifr.get(0, b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    static void setFlags(ByteBuffer ifr, short flags) {
        ifr.putShort(UNION_OFFSET, flags);
    }

    static short flags(ByteBuffer ifr) {
        return ifr.getShort(UNION_OFFSET);
    }

    static void setMtu(ByteBuffer ifr, int mtu) {
        ifr.putInt(UNION_OFFSET, mtu);
    }

    static int mtu(ByteBuffer ifr) {
        return ifr.getInt(UNION_OFFSET);
    }
}
