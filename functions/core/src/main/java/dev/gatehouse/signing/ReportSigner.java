package dev.gatehouse.signing;

import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.ports.StoreException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Signs the reports Gatehouse writes (compliance scan summaries and pages, verification reports)
 * with a detached signature stored next to each one: {@code KEY} and {@code KEY.sig}
 * ({@link DetachedSignature}). {@code gatehouse verify-report} checks a pair.
 */
public final class ReportSigner {

    public static final String SIGNATURE_SUFFIX = ".sig";

    private final Signer signer;

    public ReportSigner(Signer signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /** The detached signature of {@code report}. */
    public DetachedSignature sign(byte[] report) throws Signer.SigningException {
        return new DetachedSignature(signer.sign(report));
    }

    /**
     * Signs {@code report}, then stores it and its signature. Signing comes first, so a report
     * that cannot be signed is not written.
     */
    public void putSigned(BlobStore blobs, String key, byte[] report) throws Signer.SigningException {
        DetachedSignature signature = sign(report);
        blobs.put(key, report);
        blobs.put(key + SIGNATURE_SUFFIX, signature.encoded());
    }

    /**
     * A blob store that signs every blob whose key {@code signed} selects as it is put (the
     * report writers need no change): a blob that cannot be signed is not stored, and the put
     * fails with a {@link StoreException}.
     */
    public BlobStore signing(BlobStore blobs, Predicate<String> signed) {
        return new BlobStore() {
            @Override
            public void put(String key, byte[] content) {
                if (!signed.test(key) || key.endsWith(SIGNATURE_SUFFIX)) {
                    blobs.put(key, content);
                    return;
                }
                try {
                    putSigned(blobs, key, content);
                } catch (Signer.SigningException e) {
                    throw new StoreException("BlobStore.put", "report '" + key + "' not stored: " + e.getMessage(), e);
                }
            }

            @Override
            public Optional<byte[]> get(String key, long maxBytes) {
                return blobs.get(key, maxBytes);
            }

            @Override
            public List<String> list(String prefix, int limit) {
                return blobs.list(prefix, limit);
            }
        };
    }
}
