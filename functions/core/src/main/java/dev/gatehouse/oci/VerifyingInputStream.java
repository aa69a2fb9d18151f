package dev.gatehouse.oci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes content through while hashing and counting it. The digest is checked at end of stream,
 * before EOF is reported, so a reader that sees EOF has seen exactly the content of the digest.
 */
final class VerifyingInputStream extends FilterInputStream {

    private final Digest expected;
    private final long maxBytes;
    private final String what;
    private final MessageDigest hash;
    private long count;
    private boolean verified;

    VerifyingInputStream(InputStream in, Digest expected, long maxBytes, String what) {
        super(in);
        this.expected = expected;
        this.maxBytes = maxBytes;
        this.what = what;
        this.hash = expected.newMessageDigest();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n < 0) {
            verify();
            return -1;
        }
        count += n;
        if (count > maxBytes) {
            throw new BlobIntegrityException(new RegistryException(RegistryException.Kind.TOO_LARGE,
                    what + " is larger than the limit of " + maxBytes + " bytes"));
        }
        hash.update(b, off, n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // Not supported: a reset would hash bytes twice.
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void verify() throws BlobIntegrityException {
        if (verified) {
            return;
        }
        byte[] actual = hash.digest();
        if (!MessageDigest.isEqual(actual, expected.bytes())) {
            // "what" usually names the blob by its expected digest already: say what the bytes hash to.
            throw new BlobIntegrityException(new RegistryException(RegistryException.Kind.DIGEST_MISMATCH,
                    what + " does not match its digest " + expected + " (" + count + " bytes read, hashing to "
                            + expected.algorithm() + ":" + java.util.HexFormat.of().formatHex(actual) + ")"));
        }
        verified = true;
    }
}
