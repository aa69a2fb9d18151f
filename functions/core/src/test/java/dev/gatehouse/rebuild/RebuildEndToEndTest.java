package dev.gatehouse.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.Metrics;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.handlers.push.PushHandler;
import dev.gatehouse.handlers.push.PushOutcome;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import dev.gatehouse.oci.testing.NotificationWebhook;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.ports.EventPublisher;
import dev.gatehouse.ports.local.InMemoryBlobStore;
import dev.gatehouse.ports.local.InMemoryFindingLedger;
import dev.gatehouse.ports.local.InMemoryIdempotencyKeys;
import dev.gatehouse.ports.local.InMemoryImageGraph;
import dev.gatehouse.ports.local.InMemoryResultStore;
import dev.gatehouse.ports.local.RecordingEventPublisher;
import dev.gatehouse.rego.bundle.BundleVerification;
import dev.gatehouse.sample.SampleImages;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.signature.testing.SigstoreFixtures;
import dev.gatehouse.signing.CosignAttacher;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.sla.LedgerListener;
import dev.gatehouse.sla.SlaReport;
import dev.gatehouse.sla.SlaRules;
import dev.gatehouse.verify.VerificationPipeline;
import dev.gatehouse.verify.VerificationReport;
import dev.gatehouse.verify.VerificationRequest;
import dev.gatehouse.vex.VexPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rebuild loop end to end with real parts: the distribution registry, whose push notifications
 * feed the push handler (the pipeline, then the image-graph recorder and the rebuild trigger as its
 * listeners), and buildah building and pushing. A base (busybox FROM scratch, with a package list a
 * test scanner reads from the layers) is pushed at v1; a customisation of it and an application on
 * the customisation are built and pushed; v2 of the base fixes the package. Both dependents are
 * rebuilt in order, pushed, signed and scanned by the after-build hook (the publisher's job), and
 * re-verified through their own push events, and the SLA ledger shows the CVE closed; replaying every
 * event starts nothing.
 */
class RebuildEndToEndTest {

    static final String CVE = "CVE-2026-20001";
    static final String BUSYBOX = "/bin/busybox";
    static final String BUILDAH = "/usr/bin/buildah";
    static final String CDXGEN = "/usr/bin/cdxgen";
    /** The base and its customisation are platform bases, which the default bundle approves ({@code * /gatehouse/base/*}). */
    static final String BASE = "gatehouse/base/busybox";
    static final String CUSTOM = "gatehouse/base/custom";
    static final String APP = "e2e/app";
    static final String SOURCE = "git+https://git.gatehouse.test/platform/images@refs/heads/main";
    static final NotificationWebhook WEBHOOK = NotificationWebhook.start();

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous()
            .withNotifications(WEBHOOK::uri);

    static final String POLICY = """
            package gatehouse.main

            deny contains "not signed by a trusted key" if count(input.signatures) == 0

            deny contains msg if {
            	some f in input.vulnerabilities.findings
            	f.severity == "critical"
            	f.fix_available
            	not f.suppressed
            	msg := sprintf("%s in %s is fixable", [f.id, f.package.name])
            }

            decision := {"allow": count(deny) == 0, "deny": [d | some d in deny], "warn": []}
            """;

    @TempDir
    Path dir;

    final ExecutorService executor = Executors.newFixedThreadPool(4);
    final Clock clock = Clock.systemUTC();
    final LocalKeySigner publisher = LocalKeySigner.generate("publisher");
    final LocalKeySigner platform = LocalKeySigner.generate("platform");
    final InMemoryImageGraph graph = new InMemoryImageGraph();
    final InMemoryIdempotencyKeys keys = new InMemoryIdempotencyKeys(clock);
    final RecordingEventPublisher events = new RecordingEventPublisher(10_000);
    final List<String> builds = new CopyOnWriteArrayList<>();
    final Map<Digest, VerifiedImage> verified = new ConcurrentHashMap<>();
    final List<byte[]> delivered = new ArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    final InMemoryFindingLedger ledger = new InMemoryFindingLedger();
    String host;
    BuildahRunner runner;
    PushHandler handler;
    RebuildTrigger trigger;
    RebuildCatalog catalog;


    @AfterAll
    static void stopWebhook() {
        WEBHOOK.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(BUILDAH)), BUILDAH + " not installed (apt-get install buildah; .ci/run does it): rebuild end-to-end test skipped");
        assumeTrue(Files.isExecutable(Path.of(BUSYBOX)),
                BUSYBOX + " not installed (apt-get install busybox-static; .ci/run does it): rebuild end-to-end test skipped");
        assumeTrue(Files.isExecutable(Path.of(CDXGEN)),
                CDXGEN + " not installed (npm install -g @cyclonedx/cdxgen@12.8.4; .ci/run does it): rebuild end-to-end test skipped");
        host = REGISTRY.host();
        // The operator's trust material: the base publisher's key, the platform key, and the buildah runner as a trusted builder.
        RebuildFixtures.writeTrust(dir.resolve("trust"), RebuildHardener.BUILDAH_BUILDER_ID, 3, publisher, platform);
        OciRepositories repositories = new OciRepositories(REGISTRY.credentials(), REGISTRY.options());
        PolicyBundle policy = PolicyBundle.fromFiles("e2e-rebuild", Map.of("gatehouse/main.rego", POLICY.getBytes(StandardCharsets.UTF_8)),
                BundleVerification.NONE, null);
        VerificationPipeline pipeline = pipeline(policy);
        catalog = catalog();
        runner = new BuildahRunner(BUILDAH, dir.resolve("buildah"), dir.resolve("work"), true, null, Duration.ofMinutes(5), clock);
        RebuildHardener hardener = new RebuildHardener(repositories, platform,
                new CdxgenSbom(CDXGEN, dir.resolve("sbom"), Duration.ofMinutes(5), 1L << 30), () -> catalog, RebuildHardener.BUILDAH_BUILDER_ID,
                log::add);
        Rebuilder rebuilder = new Rebuilder(runner, graph, keys, events, catalog.settings(), clock, log::add, List.of(hardener, this::scanRebuild));
        trigger = new RebuildTrigger(graph, () -> catalog, rebuilder, log::add);
        VerificationListener capture = image -> verified.put(image.digest(), image);
        handler = new PushHandler(pipeline, repositories,
                new PushHandler.Ports(new InMemoryResultStore(), new InMemoryBlobStore(), keys, new RecordingEventPublisher(1000)),
                List.of(capture, new LedgerListener(ledger, SlaRules.hardened()), new ImageGraphRecorder(graph, log::add), trigger),
                PushHandler.Settings.defaults(), clock,
                new JsonLog(log::add, clock), new Metrics("Gatehouse", clock, log::add));
    }

    VerificationPipeline pipeline(PolicyBundle policy) throws Exception {
        Path trust = dir.resolve("trust");
        return new VerificationPipeline(new OciRepositories(REGISTRY.credentials(), REGISTRY.options()),
                TrustConfig.read(trust.resolve(RebuildFixtures.TRUST_CONFIG)),
                TrustedBuilders.parse(Files.readAllBytes(trust.resolve(RebuildFixtures.TRUSTED_BUILDERS))), policy, VexPolicy.defaults(), clock,
                executor, s -> { });
    }

    @AfterEach
    void shutdown() {
        executor.shutdownNow();
    }

    @Test
    void aFixedBaseRebuildsBothDependentsInOrderAndReplayStartsNothing() throws Exception {
        Digest base1 = pushBase(BASE, "1.0.0");
        drainEvents();
        assertThat(verified.get(base1).report().decision().allowed()).as("base v1 has a fixable critical CVE").isFalse();

        BuildRunner.Succeeded custom1 = buildDirectly(CUSTOM, BASE, "latest", base1);
        drainEvents();
        BuildRunner.Succeeded app1 = buildDirectly(APP, CUSTOM, "1", custom1.pushedDigest());
        drainEvents();
        assertThat(graph.dependentsOfDigest(host + "/" + BASE, base1)).extracting(e -> e.image().digest()).containsExactly(custom1.pushedDigest());
        assertThat(graph.dependentsOfDigest(host + "/" + CUSTOM, custom1.pushedDigest())).extracting(e -> e.image().digest())
                .containsExactly(app1.pushedDigest());
        builds.clear();

        Digest base2 = pushBase(BASE, "1.0.1");
        drainEvents();

        assertThat(builds).as(String.join("\n", log)).hasSize(2);
        assertThat(builds.get(0)).startsWith(host + "/" + CUSTOM + ":1 on " + host + "/" + BASE + "@" + base2);
        assertThat(builds.get(1)).startsWith(host + "/" + APP + ":1 on " + host + "/" + CUSTOM + "@");
        Digest custom2 = graph.dependentsOfDigest(host + "/" + BASE, base2).get(0).image().digest();
        Digest app2 = graph.dependentsOfDigest(host + "/" + CUSTOM, custom2).get(0).image().digest();
        assertThat(builds.get(1)).contains("@" + custom2 + " pushed " + app2);

        // Each rebuild names its base digest in its manifest and was verified through its own push event.
        assertThat(annotations(CUSTOM, custom2)).containsEntry(BaseImageEvidence.BASE_DIGEST, base2.toString())
                .containsEntry(BaseImageEvidence.BASE_NAME, host + "/" + BASE + ":latest");
        assertThat(annotations(APP, app2)).containsEntry(BaseImageEvidence.BASE_DIGEST, custom2.toString());
        assertThat(verified.get(custom2).report().decision().allowed()).isTrue();
        assertThat(verified.get(app2).report().decision().allowed()).isTrue();
        assertThat(verified.get(app1.pushedDigest()).report().decision().allowed()).isFalse();

        // The hook for the remediation-SLA ledger: the CVE is open on the old dependent digests and gone from the new ones.
        assertThat(openFindings(custom1.pushedDigest())).contains(CVE);
        assertThat(openFindings(app1.pushedDigest())).contains(CVE);
        assertThat(openFindings(custom2)).doesNotContain(CVE);
        assertThat(openFindings(app2)).doesNotContain(CVE);
        // The remediation-SLA ledger, fed by the same push verifications, shows the CVE closed by the rebuilds.
        assertThat(SlaReport.of(ledger, SlaRules.hardened(), clock).closed(CVE))
                .extracting(c -> c.entry().repository().substring(host.length() + 1) + " by " + c.closed().by())
                .contains(CUSTOM + " by " + custom2, APP + " by " + app2, BASE + " by " + base2);

        // The customisation's additions are in the rebuilt image.
        JsonNode config = config(CUSTOM, custom2);
        assertThat(config.at("/config/User").asText()).isEqualTo("10001");
        assertThat(config.at("/config/Env").toString()).contains("TZ=UTC");
        assertThat(config.at("/config/Labels/org.example.team").asText()).isEqualTo("platform");
        assertThat(file(CUSTOM, custom2, "etc/passwd")).contains("app:x:10001:10001::/home/app:/sbin/nologin");
        assertThat(file(APP, app2, "app/hello")).isEqualTo("hello from app\n");
        assertThat(events.events()).extracting(EventPublisher.Event::detailType).filteredOn("Rebuild Succeeded"::equals).hasSize(2);

        // At-least-once delivery: every event delivered so far, again, and the base's verification again, start nothing.
        int before = builds.size();
        for (byte[] envelope : new ArrayList<>(delivered)) {
            handler.handle(envelope);
        }
        drainEvents();
        trigger.onVerified(verified.get(base2));
        assertThat(builds).hasSize(before);

        // The rebuilds came out hardened: the default bundle (policies/hardened) allows both, and denies the application
        // once its signature is gone.
        VerificationPipeline hardened = pipeline(PolicyBundle.hardened());
        for (String rebuilt : List.of(host + "/" + CUSTOM + "@" + custom2, host + "/" + APP + "@" + app2)) {
            VerificationReport report = hardened.verify(VerificationRequest.of(ImageReference.parse(rebuilt), "test"));
            assertThat(report.decision().allowed()).as(rebuilt + ": " + report.decision()).isTrue();
            assertThat(report.input().at("/provenance/builder/id").asText()).isEqualTo(RebuildHardener.BUILDAH_BUILDER_ID);
            assertThat(report.input().at("/sbom/signed").asBoolean()).isTrue();
        }
        assertThat(hardened.verify(VerificationRequest.of(ImageReference.parse(host + "/" + APP + "@" + app2), "test")).input()
                .at("/provenance/resolved_dependencies").toString()).contains(custom2.hex());
        RebuildHardenerTest.removeSignature(APP, app2, REGISTRY);
        VerificationReport unsigned = hardened.verify(VerificationRequest.of(ImageReference.parse(host + "/" + APP + "@" + app2), "test"));
        assertThat(unsigned.decision().allowed()).isFalse();
        assertThat(unsigned.decision().toString()).contains("GH-SIGNED");
    }

    @Test
    void aFailingBuildIsRetriedWithinLimitsAndRecorded() throws Exception {
        Digest base1 = pushBase("e2e/fbase", "1.0.1");
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("Containerfile"), "FROM placeholder\nRUN echo compiling && exit 3\n");
        RebuildTarget target = new RebuildTarget(host + "/e2e/broken", "1", ImageReference.parse(host + "/e2e/fbase:latest"),
                new BuildDefinition.Containerfile(broken.resolve("Containerfile"), broken));
        RebuildCatalog brokenCatalog = new RebuildCatalog(List.of(target), new RebuildSettings(2, 10, Duration.ofHours(1), 10, Duration.ofMinutes(5)));
        graph.record(new dev.gatehouse.ports.ImageGraph.Edge(new dev.gatehouse.ports.ImageGraph.ImageRef(host + "/e2e/broken", base1),
                new dev.gatehouse.ports.ImageGraph.BaseRef(host + "/e2e/fbase", "latest", Digest.sha256(new byte[] {1})), Instant.now()));
        Rebuilder rebuilder = new Rebuilder(runner, graph, keys, events, brokenCatalog.settings(), clock, log::add, List.of(this::publish));

        List<StepOutcome> outcomes = rebuilder.runAll(new RebuildPlanner(graph, brokenCatalog).forNewBase(host + "/e2e/fbase", "latest", base1),
                brokenCatalog);

        assertThat(outcomes).singleElement().isInstanceOfSatisfying(StepOutcome.Failed.class, f -> {
            assertThat(f.reasons()).hasSize(2);
            assertThat(f.reasons().get(0)).startsWith("attempt 1: buildah bud exited");
        });
        assertThat(events.events()).extracting(EventPublisher.Event::detailType)
                .containsSubsequence("Rebuild Started", "Rebuild Failed", "Rebuild Started", "Rebuild Failed");
        assertThat(events.events().get(events.events().size() - 1).detailJson()).contains("giving up after 2 attempts");
        assertThat(builds).isEmpty();
    }

    /** Delivers the registry's notifications to the push handler until only ignorable events remain for a while. */
    void drainEvents() throws Exception {
        boolean settled = WEBHOOK.drain(envelope -> {
            delivered.add(envelope);
            return handler.handle(envelope).outcomes().stream()
                    .anyMatch(o -> o instanceof PushOutcome.Verified || o instanceof PushOutcome.Failed);
        }, Duration.ofSeconds(4), Duration.ofSeconds(900));
        assertThat(settled).as("registry events did not settle").isTrue();
    }

    RebuildCatalog catalog() throws Exception {
        Path ca = dir.resolve("corp-ca.pem");
        Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(new SigstoreFixtures().root.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Path app = Files.createDirectories(dir.resolve("app"));
        // The customisation is a dev variant (it keeps the base's busybox shell for builds); the application is built on it
        // in a build stage and ships without a shell, as a runtime image on a -dev base does.
        Files.writeString(app.resolve("Containerfile"), """
                FROM placeholder AS build
                USER 0
                RUN mkdir -p /out/app /out/etc/ssl /out/var/lib && echo 'hello from app' > /out/app/hello \\
                    && cp /etc/passwd /etc/group /etc/os-release /etc/debian_version /out/etc/ \\
                    && cp -r /etc/ssl/certs /out/etc/ssl/ && cp -r /var/lib/dpkg /out/var/lib/
                FROM scratch
                COPY --from=build /out/ /
                USER 10001
                """);
        Path file = dir.resolve("catalog.yaml");
        Files.writeString(file, """
                settings:
                  maxAttempts: 2
                  rateLimit: {builds: 5, window: PT1H}
                targets:
                  - repository: %1$s/%2$s
                    tag: "1"
                    base: %1$s/%3$s:latest
                    source: %5$s
                    customisation:
                      caCertificates: [corp-ca.pem]
                      users: [{name: app, uid: 10001, gid: 10001}]
                      environment: {TZ: UTC}
                      labels: {org.example.team: platform, dev.gatehouse.image.variant: dev}
                      runAs: "10001"
                  - repository: %1$s/%4$s
                    tag: "1"
                    base: %1$s/%2$s:1
                    source: %5$s
                    containerfile: app/Containerfile
                """.formatted(REGISTRY.host(), CUSTOM, BASE, APP, SOURCE));
        return RebuildCatalog.read(file);
    }

    /** Builds a dependent with the runner directly (its first build, before any base change), then publishes it. */
    BuildRunner.Succeeded buildDirectly(String repository, String baseRepository, String baseTag, Digest baseDigest) throws Exception {
        RebuildTarget target = catalog.target(host + "/" + repository).orElseThrow();
        BuildRunner.BuildRequest request = new BuildRunner.BuildRequest(target.definition(),
                new BuildRunner.BaseImage(host + "/" + baseRepository, baseTag, baseDigest), target.repository(), target.tag(), Map.of(), 1);
        BuildRunner.BuildStatus status = runner.status(runner.start(request));
        assertThat(status).as(status.toString()).isInstanceOf(BuildRunner.Succeeded.class);
        publish(request, (BuildRunner.Succeeded) status);
        return (BuildRunner.Succeeded) status;
    }

    /** The publisher's after-build step for the first builds: sign the pushed image and attach a scan of it. */
    void publish(BuildRunner.BuildRequest request, BuildRunner.Succeeded result) throws Exception {
        String path = result.repository().substring(host.length() + 1);
        signAndScan(path, result.pushedDigest());
        builds.add(request.target() + " on " + request.base().pinned() + " pushed " + result.pushedDigest());
    }

    /** After the hardener signed a rebuild: the scanner attaches its scan. */
    void scanRebuild(BuildRunner.BuildRequest request, BuildRunner.Succeeded result) throws Exception {
        String path = result.repository().substring(host.length() + 1);
        scan(path, result.pushedDigest());
        builds.add(request.target() + " on " + request.base().pinned() + " pushed " + result.pushedDigest());
    }

    /** Builds a Debian-like busybox base FROM scratch with {@code libexample VERSION} installed (dpkg status), pushes, signs and scans it. */
    Digest pushBase(String repository, String version) throws Exception {
        Path context = Files.createDirectories(dir.resolve("base-" + version + "-" + repository.replace('/', '-')));
        Path rootfs = context.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of(BUSYBOX), rootfs.resolve("bin/busybox"));
        for (String applet : List.of("sh", "cat", "mkdir", "chown", "echo", "cp")) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.createDirectories(rootfs.resolve("etc/ssl/certs"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnonroot:x:65532:\n");
        Files.writeString(rootfs.resolve("etc/os-release"), "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n");
        Files.writeString(rootfs.resolve("etc/debian_version"), "12.7\n");
        Files.createDirectories(rootfs.resolve("var/lib/dpkg"));
        Files.writeString(rootfs.resolve("var/lib/dpkg/status"), CdxgenSbomTest.dpkgStatus("libexample", version));
        Files.writeString(context.resolve("Containerfile"), "FROM scratch\nCOPY rootfs/ /\nENV PATH=/bin\nUSER 65532\n");
        Path storage = dir.resolve("buildah");
        String local = "localhost/e2e-base-" + version;
        buildah(storage, "bud", "--isolation", "chroot", "--format", "oci", "-f", context.resolve("Containerfile").toString(), "-t", local,
                context.toString());
        Path digestFile = context.resolve("digest");
        buildah(storage, "push", "--tls-verify=false", "--digestfile", digestFile.toString(), local,
                "docker://" + host + "/" + repository + ":latest");
        Digest digest = Digest.parse(Files.readString(digestFile).strip());
        signAndScan(repository, digest);
        return digest;
    }

    void buildah(Path storage, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(BUILDAH, "--storage-driver", "vfs", "--root", storage.resolve("storage").toString(),
                "--runroot", storage.resolve("run").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    void signAndScan(String repository, Digest digest) throws Exception {
        new CosignAttacher(REGISTRY.repository(repository)).attachSignature(digest, host + "/" + repository, publisher);
        scan(repository, digest);
    }

    /** The scanner's attestation (signed with the publisher's key): libexample's version read from the image's dpkg status. */
    void scan(String repository, Digest digest) throws Exception {
        Matcher installed = Pattern.compile("(?m)^Version: (\\S+)$").matcher(file(repository, digest, "var/lib/dpkg/status"));
        assertThat(installed.find()).as("dpkg status of " + repository + "@" + digest).isTrue();
        new CosignAttacher(REGISTRY.repository(repository)).attachAttestation(digest, host + "/" + repository, SampleImages.COSIGN_VULN,
                scan(host + "/" + repository, installed.group(1)), publisher);
    }

    /** A trivy report as a scanner would write it: libexample below 1.0.1 has a fixable critical CVE. */
    static JsonNode scan(String name, String installed) {
        ObjectNode trivy = UntrustedJson.mapper().createObjectNode();
        trivy.put("SchemaVersion", 2);
        trivy.put("ArtifactName", name);
        trivy.put("ArtifactType", "container_image");
        ObjectNode result = trivy.putArray("Results").addObject();
        result.put("Target", name);
        result.put("Class", "os-pkgs");
        result.put("Type", "debian");
        ArrayNode vulns = result.putArray("Vulnerabilities");
        if (installed.equals("1.0.0")) {
            ObjectNode v = vulns.addObject();
            v.put("VulnerabilityID", CVE);
            v.put("PkgName", "libexample");
            v.putObject("PkgIdentifier").put("PURL", "pkg:deb/debian/libexample@1.0.0?arch=amd64");
            v.put("InstalledVersion", "1.0.0");
            v.put("FixedVersion", "1.0.1");
            v.put("Status", "fixed");
            v.put("Severity", "CRITICAL");
            v.put("PublishedDate", Instant.now().minus(Duration.ofDays(2)).toString());
        }
        ObjectNode predicate = UntrustedJson.mapper().createObjectNode();
        predicate.putObject("invocation").put("uri", "https://gatehouse.test/e2e-scan");
        ObjectNode scanner = predicate.putObject("scanner");
        scanner.put("uri", "pkg:github/aquasecurity/trivy@0.58.0");
        scanner.put("version", "0.58.0");
        scanner.set("result", trivy);
        predicate.putObject("metadata").put("scanStartedOn", Instant.now().toString()).put("scanFinishedOn", Instant.now().toString());
        return predicate;
    }

    List<String> openFindings(Digest digest) {
        List<String> ids = new ArrayList<>();
        for (JsonNode f : verified.get(digest).report().input().at("/vulnerabilities/findings")) {
            if (!f.path("suppressed").asBoolean()) {
                ids.add(f.path("id").asText());
            }
        }
        return ids;
    }

    Map<String, String> annotations(String repository, Digest digest) throws Exception {
        OciRepository repo = REGISTRY.repository(repository);
        return ((ImageManifest) repo.manifest(repo.resolve(digest.toString()))).annotations();
    }

    JsonNode config(String repository, Digest digest) throws Exception {
        OciRepository repo = REGISTRY.repository(repository);
        ImageManifest manifest = (ImageManifest) repo.manifest(repo.resolve(digest.toString()));
        return UntrustedJson.parse(repo.blob(manifest.config().digest(), 1 << 20), "image config");
    }

    /** A file's content in the image's filesystem (the last layer that has it wins), or empty. */
    String file(String repository, Digest digest, String path) throws Exception {
        OciRepository repo = REGISTRY.repository(repository);
        ImageManifest manifest = (ImageManifest) repo.manifest(repo.resolve(digest.toString()));
        String found = "";
        for (Descriptor layer : manifest.layers()) {
            byte[] blob = repo.blob(layer.digest(), 64 << 20);
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(blob))) {
                String content = tarEntry(in, path);
                if (content != null) {
                    found = content;
                }
            }
        }
        return found;
    }

    /** Reads a ustar stream and returns the content of {@code path}, or null. */
    static String tarEntry(InputStream in, String path) throws IOException {
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            String name = field(header, 0, 100);
            String prefix = field(header, 345, 155);
            String full = (prefix.isEmpty() ? name : prefix + "/" + name).replaceFirst("^\\./", "").replaceFirst("^/", "");
            long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
            byte[] content = in.readNBytes((int) size);
            in.skipNBytes((512 - size % 512) % 512);
            if (full.equals(path) && (header[156] == '0' || header[156] == 0)) {
                return new String(content, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
