package dev.gatehouse.lambda.scan;

import dev.gatehouse.aws.EcrImageEnumerator;
import dev.gatehouse.aws.KmsSigner;
import dev.gatehouse.aws.EcrRegistryCredentials;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.scan.RegistryCatalogEnumerator;
import dev.gatehouse.handlers.scan.ScanKeys;
import dev.gatehouse.handlers.scan.ScanPlanner;
import dev.gatehouse.handlers.scan.ScanWorker;
import dev.gatehouse.lambda.AwsPortProducers;
import dev.gatehouse.lambda.GatehouseConfig;
import dev.gatehouse.lambda.signing.SigningSettings;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.ImageEnumerator;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.ports.Signer;
import dev.gatehouse.ports.WorkQueue;
import dev.gatehouse.signing.ReportSigner;
import dev.gatehouse.verify.VerificationPipeline;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * The compliance-scan planner and worker over the shared ports and the one verification pipeline.
 * With a signing key ({@code GATEHOUSE_SIGNING_KEY_ID}) every report they write (per-image results,
 * summary, page) gets a detached signature in KMS next to it ({@code KEY.sig}, checked by
 * {@code gatehouse verify-report}); a key that cannot be used fails the invocation, so no report
 * is written unsigned while signing is configured.
 */
@ApplicationScoped
public class ScanProducers {

    /** The report bucket as the scan writes it: signing its reports when a key is configured. */
    static final String SCAN_REPORTS = "scan-reports";

    private static final Logger LOG = Logger.getLogger(ScanProducers.class);

    private static final Pattern ECR_HOST = Pattern.compile("([0-9]{12})\\.dkr\\.ecr(?:-fips)?\\.([a-z0-9-]+)\\.amazonaws\\.com(?:\\.cn)?");

    @Produces
    @Singleton
    ImageEnumerator enumerator(ScanConfig scan, OciRepositories repositories) {
        String registry = AwsPortProducers.required(scan.registry(), "GATEHOUSE_SCAN_REGISTRY");
        Matcher ecr = ECR_HOST.matcher(registry);
        if (EcrRegistryCredentials.isEcrHost(registry) && ecr.matches()) {
            EcrClient client = EcrClient.builder().region(Region.of(ecr.group(2)))
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            return new EcrImageEnumerator(client, ecr.group(1), ecr.group(2));
        }
        return new RegistryCatalogEnumerator(repositories, registry);
    }

    @Produces
    @Singleton
    @Named(SCAN_REPORTS)
    BlobStore scanReports(@Named(AwsPortProducers.REPORTS) BlobStore reports, SigningSettings signing, GatehouseConfig config)
            throws Signer.SigningException {
        Optional<String> keyId = signing.keyId().filter(k -> !k.isBlank());
        if (keyId.isEmpty()) {
            LOG.warn("scan reports are not signed: no signing key (GATEHOUSE_SIGNING_KEY_ID)");
            return reports;
        }
        KmsSigner signer = KmsSigner.connect(KmsSigner.client(signing.kmsEndpoint().orElse(null),
                config.aws().region().map(Region::of).orElse(null)), keyId.get());
        LOG.infof("scan reports signed with KMS key %s", signer.keyId());
        return new ReportSigner(signer).signing(reports, ScanKeys::isReport);
    }

    @Produces
    @Singleton
    ScanPlanner planner(ScanConfig scan, ImageEnumerator enumerator, WorkQueue queue, @Named(SCAN_REPORTS) BlobStore reports,
                        Clock clock, JsonLog log) {
        return new ScanPlanner(enumerator, queue, reports, clock, scan.imagesPerBatch(), line -> log.info("compliance scan",
                Map.of("detail", line)));
    }

    @Produces
    @Singleton
    ScanWorker worker(ScanConfig scan, VerificationPipeline pipeline, ResultStore results, @Named(SCAN_REPORTS) BlobStore reports,
                      Instance<VerificationListener> listeners, Clock clock, JsonLog log) {
        return new ScanWorker(pipeline, results, reports, listeners.stream().toList(), clock, scan.workerParallelism(),
                line -> log.info("compliance scan", Map.of("detail", line)));
    }
}
