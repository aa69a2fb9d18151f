package dev.gatehouse.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.ResultStore;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@link BaseFindings} from the registry (where a base tag points now) and the stored verification
 * results (the findings of a base digest, from the report's policy input, inline or in the blob
 * store, checked against its recorded digest).
 */
public final class StoredResultsBaseFindings implements BaseFindings {

    static final long MAX_REPORT_BYTES = 32L << 20;

    private final OciRepositories repositories;
    private final ResultStore results;
    private final BlobStore blobs;

    public StoredResultsBaseFindings(OciRepositories repositories, ResultStore results, BlobStore blobs) {
        this.repositories = repositories;
        this.results = results;
        this.blobs = blobs;
    }

    @Override
    public Optional<Digest> currentDigest(String repository, String tag) {
        try {
            ImageReference reference = ImageReference.parse(repository + ":" + tag);
            return Optional.of(repositories.open(reference).resolve(tag).digest());
        } catch (RegistryException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Verification> latest(Digest digest) {
        Optional<ResultStore.VerificationResult> latest = results.latest(digest);
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        byte[] json;
        if (latest.get().report() instanceof ResultStore.InlineReport inline) {
            json = inline.json().getBytes(StandardCharsets.UTF_8);
        } else {
            ResultStore.StoredReport stored = (ResultStore.StoredReport) latest.get().report();
            Optional<byte[]> blob = blobs.get(stored.blobKey(), MAX_REPORT_BYTES);
            if (blob.isEmpty() || !stored.digest().matches(blob.get())) {
                return Optional.empty();
            }
            json = blob.get();
        }
        try {
            JsonNode report = UntrustedJson.parse(json, "stored verification report", (int) MAX_REPORT_BYTES);
            return Optional.of(new Verification(report.path("decision").path("allowed").asBoolean(false),
                    BaseFindings.openFindingIds(report.path("input"), false)));
        } catch (MalformedInputException e) {
            return Optional.empty();
        }
    }
}
