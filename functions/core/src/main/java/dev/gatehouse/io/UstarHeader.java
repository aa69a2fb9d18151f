package dev.gatehouse.io;

import java.nio.charset.StandardCharsets;

/** The 512-byte header of a POSIX ustar entry, for the few archives Gatehouse writes (sample layers, OCI archives). */
public final class UstarHeader {

    public static final int BLOCK = 512;
    /** Largest entry a ustar size field holds (eleven octal digits). */
    public static final long MAX_SIZE = 077777777777L;
    public static final char REGULAR_FILE = '0';
    public static final char DIRECTORY = '5';

    private UstarHeader() {}

    /** The header of {@code name} (at most 100 bytes), owned by uid and gid 0, modified at the epoch. */
    public static byte[] of(String name, long size, char type, int mode) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) {
            throw new IllegalArgumentException("path too long for a ustar header: " + name);
        }
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("entry " + name + " of " + size + " bytes does not fit a ustar header");
        }
        byte[] h = new byte[BLOCK];
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, h, 257, magic.length);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        return h;
    }

    /** Zero bytes that pad an entry of {@code size} bytes to the next block. */
    public static byte[] padding(long size) {
        return new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)];
    }

    /** {@code value} as zero-padded octal in {@code length - 1} digits and a NUL. */
    private static void octal(byte[] h, int offset, int length, long value) {
        byte[] digits = String.format("%0" + (length - 1) + "o", value).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, h, offset, digits.length);
    }
}
