package dev.gatehouse.signature;

import dev.sigstore.trustroot.TransparencyLog;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Proves a transparency log entry against the trusted root: its signed entry timestamp (SET), its
 * inclusion proof and signed checkpoint (RFC 9162; the note is read here, since
 * sigstore-java ignores the tree size and names logs by host only), and that the log's key was valid
 * at the integrated time.
 */
final class TransparencyLogCheck {

    private TransparencyLogCheck() {}

    /** A proven entry: the integrated time when a SET vouches for it. */
    record Proven(Optional<Instant> integratedTime, String logUrl) {}

    static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    static Proven prove(TrustedRoot root, SigstoreBundle.TlogEntry entry) throws Failure {
        TransparencyLog log = root.tlog(entry.logId())
                .orElseThrow(() -> new Failure("transparency log " + HexFormat.of().formatHex(entry.logId())
                        + " is not in the trusted root"));
        String bodyB64 = Base64.getEncoder().encodeToString(entry.canonicalizedBody());
        String logIdHex = HexFormat.of().formatHex(entry.logId());
        if (entry.inclusionProof() == null && entry.signedEntryTimestamp() == null) {
            throw new Failure("transparency log entry has neither an inclusion proof nor a signed entry timestamp");
        }
        if (entry.signedEntryTimestamp() != null
                && !setVerifies(log, bodyB64, entry.integratedTime(), logIdHex, entry.logIndex(), entry.signedEntryTimestamp())) {
            throw new Failure("signed entry timestamp does not verify with the log's key");
        }
        if (entry.inclusionProof() != null) {
            proveInclusion(log, entry);
        }
        Optional<Instant> time = Optional.empty();
        if (entry.signedEntryTimestamp() != null && entry.integratedTime() > 0) {
            Instant t = Instant.ofEpochSecond(entry.integratedTime());
            if (!TrustedRoot.within(log.getPublicKey().getValidFor(), t)) {
                throw new Failure("log entry time " + t + " is outside the validity of the log key in the trusted root");
            }
            time = Optional.of(t);
        }
        return new Proven(time, log.getBaseUrl().toString());
    }

    private static void proveInclusion(TransparencyLog log, SigstoreBundle.TlogEntry entry) throws Failure {
        SigstoreBundle.InclusionProof proof = entry.inclusionProof();
        byte[] leaf = new byte[entry.canonicalizedBody().length + 1];
        System.arraycopy(entry.canonicalizedBody(), 0, leaf, 1, entry.canonicalizedBody().length);
        if (!merkleRootMatches(LogEntryBody.sha256(leaf), proof.logIndex(), proof.treeSize(), proof.hashes(), proof.rootHash())) {
            throw new Failure("inclusion proof does not lead to the root hash");
        }
        Checkpoint checkpoint = Checkpoint.parse(proof.checkpoint());
        if (checkpoint.treeSize() != proof.treeSize() || !Arrays.equals(checkpoint.rootHash(), proof.rootHash())) {
            throw new Failure("checkpoint does not commit to the inclusion proof's tree");
        }
        if (!checkpoint.signedBy(log)) {
            throw new Failure("checkpoint carries no valid signature by the log " + log.getBaseUrl());
        }
    }

    /** RFC 9162 section 2.1.3.2: recompute the root from the leaf hash and the audit path. */
    static boolean merkleRootMatches(byte[] leafHash, long index, long treeSize, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= treeSize) {
            return false;
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    private static byte[] node(byte[] left, byte[] right) {
        byte[] buf = new byte[1 + left.length + right.length];
        buf[0] = 1;
        System.arraycopy(left, 0, buf, 1, left.length);
        System.arraycopy(right, 0, buf, 1 + left.length, right.length);
        return LogEntryBody.sha256(buf);
    }

    /** A signed note: origin, tree size, root hash, optional extensions, then signature lines. */
    record Checkpoint(String origin, long treeSize, byte[] rootHash, String signedText, List<String[]> signatures) {

        private static final int MAX_SIGNATURES = 20;

        static Checkpoint parse(String envelope) throws Failure {
            int split = envelope.indexOf("\n\n");
            if (split < 0) {
                throw new Failure("checkpoint has no signature block");
            }
            String text = envelope.substring(0, split + 1);
            String[] header = text.split("\n", -1);
            if (header.length < 4 || header[0].isEmpty()) {
                throw new Failure("checkpoint lacks an origin, tree size or root hash");
            }
            long size;
            byte[] root;
            try {
                size = Long.parseLong(header[1]);
                root = Base64.getDecoder().decode(header[2]);
            } catch (IllegalArgumentException e) {
                throw new Failure("checkpoint tree size or root hash is malformed");
            }
            List<String[]> signatures = new ArrayList<>();
            for (String line : envelope.substring(split + 2).split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] parts = line.split(" ");
                if (parts.length != 3 || !parts[0].equals("\u2014")) {
                    throw new Failure("checkpoint signature line is malformed");
                }
                signatures.add(new String[] {parts[1], parts[2]});
            }
            if (signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
                throw new Failure("checkpoint must carry between 1 and " + MAX_SIGNATURES + " signatures");
            }
            return new Checkpoint(header[0], size, root, text, signatures);
        }

        /**
         * A signature with the log's key hint that verifies. A signed-note (Ed25519, Rekor v2) key is
         * named, so its signature line must name the log's host; a Rekor v1 (ECDSA/RSA) checkpoint key
         * is identified by its hint alone, and private deployments sign under their own origin (as
         * sigstore-go accepts).
         */
        boolean signedBy(TransparencyLog log) {
            URI url = log.getBaseUrl();
            String host = url.getHost();
            String authority = url.getAuthority();
            boolean named = log.getPublicKey().getKeyDetails().contains("ED25519");
            byte[] hint = Arrays.copyOf(log.getLogId().getKeyId(), 4);
            for (String[] sig : signatures) {
                if (named && !sig[0].equals(host) && !sig[0].equals(authority)) {
                    continue;
                }
                byte[] raw;
                try {
                    raw = Base64.getDecoder().decode(sig[1]);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (raw.length <= 4 || !Arrays.equals(Arrays.copyOf(raw, 4), hint)) {
                    continue;
                }
                try {
                    if (SignatureCheck.verify(log.getPublicKey().toJavaPublicKey(),
                            signedText.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(raw, 4, raw.length))) {
                        return true;
                    }
                } catch (GeneralSecurityException e) {
                    return false;
                }
            }
            return false;
        }
    }

    /** The SET signs the canonical JSON of body, integratedTime, logID and logIndex (keys sorted). */
    static boolean setVerifies(TransparencyLog log, String bodyB64, long integratedTime, String logIdHex, long logIndex,
            byte[] set) {
        String signable = "{\"body\":\"" + bodyB64 + "\",\"integratedTime\":" + integratedTime
                + ",\"logID\":\"" + logIdHex + "\",\"logIndex\":" + logIndex + "}";
        try {
            return SignatureCheck.verify(log.getPublicKey().toJavaPublicKey(), signable.getBytes(StandardCharsets.UTF_8), set);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
