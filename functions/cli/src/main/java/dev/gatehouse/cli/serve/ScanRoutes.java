package dev.gatehouse.cli.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.cli.ReportSigningOption;
import dev.gatehouse.handlers.scan.ImageResult;
import dev.gatehouse.handlers.scan.LocalScan;
import dev.gatehouse.handlers.scan.ScanKeys;
import dev.gatehouse.handlers.scan.ScanPlanner;
import dev.gatehouse.handlers.scan.ScanSummary;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.ImageEnumerator;
import dev.gatehouse.ports.Signer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;

/**
 * {@code POST /scan} on {@code gatehouse serve}: a compliance scan of a registry's catalog, run to
 * the end in this request with an in-memory queue, results and reports in the server's blob store
 * (the same planner, worker and report as the Lambda functions). Body:
 * {@code {"registry": "host[:port]", "repositories": [...], "max_images": N}}; the answer names the
 * scan id, the counts and the report keys. With {@code --report-signing-key} every report (per-image
 * results, summary, page) is stored with its detached signature ({@code KEY.sig}, checked by
 * {@code gatehouse verify-report}). A module with its own flag, mixed into {@code serve}.
 */
public final class ScanRoutes implements ServeModule {

    @Mixin
    ReportSigningOption reportSigning = new ReportSigningOption();

    static final int MAX_BODY_BYTES = 64 * 1024;
    /** Two verifications at a time keep the server's shared evidence pool free for admission. */
    private static final int PARALLELISM = 2;

    @Override
    public List<Route> routes(ServeContext context) throws IOException, Signer.SigningException {
        BlobStore reports = reportSigning.signing(context.blobs());
        return List.of(Route.post("/scan", MAX_BODY_BYTES, request -> {
            JsonNode body = UntrustedJson.parseObject(request.body(), "scan request");
            String registry = body.path("registry").asText("");
            if (registry.isBlank()) {
                return ServeResponse.error(400, "scan request: \"registry\" (host[:port]) is required");
            }
            // Read leniently, a lone string would scan nothing named, that is the whole catalog: only an array of names is taken.
            JsonNode named = body.path("repositories");
            boolean names = named.isMissingNode() || named.isArray();
            List<String> repositories = new ArrayList<>();
            for (JsonNode r : named) {
                names &= r.isTextual() && !r.asText().isBlank();
                repositories.add(r.asText());
            }
            if (!names) {
                return ServeResponse.error(400, "scan request: \"repositories\" must be an array of repository names");
            }
            int maxImages = body.path("max_images").asInt(ScanPlanner.DEFAULT_MAX_IMAGES);
            if (maxImages < 1 || maxImages > ScanPlanner.DEFAULT_MAX_IMAGES) {
                return ServeResponse.error(400, "scan request: max_images must be between 1 and " + ScanPlanner.DEFAULT_MAX_IMAGES);
            }
            LocalScan scan = LocalScan.ofRegistry(context.repositories(), registry, context.pipeline(), reports)
                    .results(context.results()).listeners(context.listeners()).clock(context.clock())
                    .verificationsAtOnce(PARALLELISM).build();
            LocalScan.Result result = scan.run(new ImageEnumerator.Scope(repositories, maxImages));
            ScanSummary summary = result.summary();
            ObjectNode answer = UntrustedJson.mapper().createObjectNode();
            answer.put("scan_id", summary.scanId());
            answer.put("complete", summary.complete() && result.failedBatches().isEmpty());
            answer.put("images", summary.results().size());
            ObjectNode decisions = answer.putObject("decisions");
            for (ImageResult.Status status : ImageResult.Status.values()) {
                decisions.put(status.name().toLowerCase(java.util.Locale.ROOT), summary.decisions().get(status));
            }
            answer.put("sla_breaches", summary.slaBreaches());
            answer.put("unlisted", summary.plan().unlisted().size());
            answer.put("summary", ScanKeys.summary(summary.scanId()));
            answer.put("report", ScanKeys.html(summary.scanId()));
            return ServeResponse.json(200, answer);
        }).authenticatedBy(context.webhookSecret()));
    }
}
