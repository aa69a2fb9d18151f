package dev.gatehouse.verify;

import dev.gatehouse.attestation.InTotoStatement;
import dev.gatehouse.attestation.TrustedBuilders;
import dev.gatehouse.helm.HelmChart;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageConfig;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.ports.VerdictCache;
import dev.gatehouse.ports.local.InMemoryVerdictCache;
import dev.gatehouse.sbom.Inventory;
import dev.gatehouse.sbom.SbomReader;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.vex.MergedVex;
import dev.gatehouse.vex.ProductIdentity;
import dev.gatehouse.vex.VexApplication;
import dev.gatehouse.vex.VexDocument;
import dev.gatehouse.vex.VexDocuments;
import dev.gatehouse.vex.VexMergeException;
import dev.gatehouse.vex.VexPolicy;
import dev.gatehouse.vex.VexSource;
import dev.gatehouse.vex.VexVerdict;
import dev.gatehouse.vuln.Finding;
import dev.gatehouse.vuln.ScanReport;
import dev.gatehouse.vuln.ScanReports;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * The one verification pipeline every trigger calls (CLI, registry push, admission, compliance
 * scan): reference -> digest -> evidence found once -> each piece verified -> normalised facts ->
 * one policy input -> Rego decision, with a full report. Evidence that did not verify is only
 * ever reported as rejected; a registry lookup that failed stops the run (fail closed).
 */
public final class VerificationPipeline {

    private final OciRepositories repositories;
    private final TrustConfig trust;
    private final TrustedBuilders builders;
    private final PolicyBundle policy;
    private final VexPolicy vexPolicy;
    private final Clock clock;
    private final ExecutorService executor;
    private final Consumer<String> log;
    private final Verdicts verdicts;

    /**
     * Where the verdicts on the images a Helm chart deploys are reused from, keyed as admission keys
     * them ({@link VerdictCache.Key}: repository, digest, policy revision, trust configuration digest,
     * namespace), and for how long a pass counts.
     */
    private record Verdicts(VerdictCache cache, Digest trustConfiguration, Duration ttl) {
    }

    /** How long a chart image's pass is reused by a pipeline given no verdict cache of its own. */
    static final Duration DEFAULT_CHART_IMAGE_TTL = Duration.ofMinutes(10);

    /**
     * A pipeline whose chart images' verdicts are reused from a cache of its own (its trust
     * configuration never changes, so the key's trust digest is a constant here).
     */
    public VerificationPipeline(OciRepositories repositories, TrustConfig trust, TrustedBuilders builders, PolicyBundle policy,
            VexPolicy vexPolicy, Clock clock, ExecutorService executor, Consumer<String> log) {
        this(repositories, trust, builders, policy, vexPolicy, clock, executor, log, new Verdicts(new InMemoryVerdictCache(clock),
                Digest.sha256("this pipeline's trust configuration".getBytes(StandardCharsets.UTF_8)), DEFAULT_CHART_IMAGE_TTL));
    }

    private VerificationPipeline(OciRepositories repositories, TrustConfig trust, TrustedBuilders builders, PolicyBundle policy,
            VexPolicy vexPolicy, Clock clock, ExecutorService executor, Consumer<String> log, Verdicts verdicts) {
        this.repositories = repositories;
        this.trust = trust;
        this.builders = builders;
        this.policy = policy;
        this.vexPolicy = vexPolicy;
        this.clock = clock;
        this.executor = executor;
        this.log = log;
        this.verdicts = verdicts;
    }

    /**
     * The same pipeline reusing chart images' verdicts from {@code cache} (e.g. the admission verdict
     * cache, so a chart's images and the pods that run them share verdicts).
     *
     * @param trustConfiguration the digest of the trust configuration this pipeline verifies with
     * @param ttl                how long a pass it writes counts
     */
    public VerificationPipeline withVerdictCache(VerdictCache cache, Digest trustConfiguration, Duration ttl) {
        return new VerificationPipeline(repositories, trust, builders, policy, vexPolicy, clock, executor, log,
                new Verdicts(cache, trustConfiguration, ttl));
    }

    public PolicyBundle policy() {
        return policy;
    }

    public VerificationReport verify(VerificationRequest request) throws VerificationException {
        return verify(request, true);
    }

    /** @param chartAllowed false for the images a chart references: a chart's image may not be another chart */
    private VerificationReport verify(VerificationRequest request, boolean chartAllowed) throws VerificationException {
        long start = System.nanoTime();
        // The operator named these files: one that cannot be read is an error, not evidence to leave out
        // (a scan left out could turn a deny into an allow).
        List<VexDocument> operatorVex = new ArrayList<>();
        for (VerificationRequest.OperatorDocument doc : request.operatorVex()) {
            operatorVex.add(operatorDocument(doc, content -> VexDocuments.parse(content, new VexSource.OperatorSupplied(doc.location()))));
        }
        List<ScanReport> operatorScans = new ArrayList<>();
        for (VerificationRequest.OperatorDocument doc : request.operatorScans()) {
            operatorScans.add(operatorDocument(doc, ScanReports::parse));
        }
        Target target;
        ImageConfig config;
        HelmChart chart = null;
        EvidenceCollector.Collected collected;
        try {
            target = new TargetResolver(repositories).resolve(request.reference(), request.platform());
            CompletableFuture<EvidenceCollector.Collected> evidence = CompletableFuture.supplyAsync(
                    () -> new EvidenceCollector(executor).collect(target.repository(), target.subjects()), executor);
            if (isChart(target)) {
                if (!chartAllowed) {
                    throw new VerificationException(request.reference() + " is a Helm chart, not a container image");
                }
                config = ImageConfig.NONE;
                chart = chartOf(target);
            } else {
                config = configOf(target);
            }
            collected = evidence.join();
        } catch (RegistryException e) {
            throw new VerificationException(e.getMessage(), e);
        }
        if (!collected.failures().isEmpty()) {
            throw new VerificationException("evidence lookup failed, refusing to decide without it: "
                    + String.join("; ", collected.failures()));
        }
        long registryDone = System.nanoTime();

        String imageName = target.image().reference().isLayout()
                ? "oci:" + target.image().reference().layout() : target.image().reference().repositoryName();
        EvidenceVerifier verifier = new EvidenceVerifier(trust.authoritiesFor(imageName));
        List<EvidenceVerifier.Outcome> outcomes = verifyAll(verifier, collected.evidence());
        long verifyDone = System.nanoTime();

        Instant now = clock.instant();
        PolicyInput input = new PolicyInput(target, config, now, request.trigger())
                .namespace(request.namespace())
                .policyRevision(policy.revision());
        List<VerificationReport.EvidenceRecord> records = new ArrayList<>();
        Interpretation interpretation = new Interpretation(input, records);
        for (EvidenceVerifier.Outcome outcome : outcomes) {
            interpretation.accept(outcome);
        }
        interpretation.operatorDocuments(operatorVex, operatorScans);
        List<VerificationReport.Suppression> suppressions = interpretation.findings(target, now);
        interpretation.chooseSbomAndProvenance();
        if (chart != null) {
            input.helm(chart.name(), chart.version(), chartImages(chart, request));
        }

        var json = input.toJson();
        Decision decision;
        try {
            decision = policy.evaluate(json, log);
        } catch (PolicyException e) {
            throw new VerificationException(e.getMessage(), e);
        }
        long end = System.nanoTime();
        var platform = target.image().descriptor().platform();
        return new VerificationReport(request.reference().toString(), target.digest().toString(),
                platform != null ? platform.toString() : config.os() == null ? null : config.os() + "/" + config.architecture(),
                decision, records, suppressions,
                json, new VerificationReport.Timings(millis(registryDone - start), millis(verifyDone - registryDone),
                millis(end - verifyDone), millis(end - start)));
    }

    private List<EvidenceVerifier.Outcome> verifyAll(EvidenceVerifier verifier, List<Evidence> evidence) {
        if (evidence.size() <= 1) {
            return evidence.stream().map(verifier::verify).toList();
        }
        List<CompletableFuture<EvidenceVerifier.Outcome>> futures = evidence.stream()
                .map(e -> CompletableFuture.supplyAsync(() -> verifier.verify(e), executor)).toList();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static boolean isChart(Target target) {
        return HelmChart.CONFIG_MEDIA_TYPE.equals(target.manifest().config().mediaType());
    }

    private static HelmChart chartOf(Target target) throws RegistryException, VerificationException {
        Descriptor content = target.manifest().layers().stream()
                .filter(l -> HelmChart.CONTENT_MEDIA_TYPE.equals(l.mediaType())).findFirst()
                .orElseThrow(() -> new VerificationException(target.repository().name() + "@" + target.digest()
                        + ": Helm chart manifest has no " + HelmChart.CONTENT_MEDIA_TYPE + " layer"));
        try {
            return HelmChart.read(target.repository().blob(content.digest(), HelmChart.MAX_PACKAGE_BYTES));
        } catch (MalformedInputException e) {
            throw new VerificationException(target.repository().name() + "@" + target.digest() + ": " + e.getMessage(), e);
        }
    }

    private interface DocumentParser<T> {
        T parse(byte[] content) throws MalformedInputException;
    }

    private static <T> T operatorDocument(VerificationRequest.OperatorDocument doc, DocumentParser<T> parser) throws VerificationException {
        try {
            return parser.parse(doc.content());
        } catch (MalformedInputException e) {
            throw new VerificationException(doc.location() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Each image the chart deploys, through this same pipeline (by digest, with its own evidence and
     * the same policy). One that cannot be verified counts as not passing, with the reason.
     */
    private List<Facts.HelmImage> chartImages(HelmChart chart, VerificationRequest request) {
        List<Facts.HelmImage> images = new ArrayList<>();
        for (String reference : chart.images()) {
            try {
                images.add(chartImage(reference, ImageReference.parse(reference), request));
            } catch (VerificationException e) {
                images.add(new Facts.HelmImage(reference, null, false, List.of(e.getMessage())));
            } catch (IllegalArgumentException e) {
                images.add(new Facts.HelmImage(reference, null, false, List.of("not an image reference: " + e.getMessage())));
            }
        }
        return images;
    }

    /**
     * One chart image, by the digest its reference resolves to: a pass cached for exactly this
     * verdict key is reused, otherwise the pipeline decides and a pass is cached (a denial is not,
     * so evidence attached after it counts at once). The cache is skipped when the verdict would
     * depend on more than the key: a platform chosen by the caller, operator VEX or scans, or a
     * policy that may read the namespace or trigger ({@link PolicyBundle#readsCallerContext}).
     */
    private Facts.HelmImage chartImage(String reference, ImageReference ref, VerificationRequest request) throws VerificationException {
        Optional<VerdictCache.Key> key = Optional.empty();
        ImageReference pinned = ref;
        if (request.platform() == null && request.operatorVex().isEmpty() && request.operatorScans().isEmpty() && !ref.isLayout()
                && !policy.readsCallerContext()) {
            Digest digest;
            try {
                digest = ref.digest() != null ? ref.digest() : repositories.open(ref).resolve(ref.tag()).digest();
            } catch (RegistryException e) {
                throw new VerificationException(e.getMessage(), e);
            }
            pinned = new ImageReference(ref.registry(), ref.repository(), null, digest, null);
            key = verdictKey(ref.repositoryName(), digest, request.namespace());
        }
        Optional<VerdictCache.Verdict> cached = key.flatMap(this::cachedVerdict);
        if (cached.isPresent()) {
            return new Facts.HelmImage(reference, key.get().image().toString(), true, List.of());
        }
        VerificationReport report = verify(new VerificationRequest(pinned, request.platform(), request.trigger(), request.namespace(),
                request.operatorVex(), request.operatorScans()), false);
        Decision decision = report.decision();
        if (key.isPresent() && decision.outcome() != Decision.Outcome.DENY) {
            cacheVerdict(key.get(), new VerdictCache.Verdict(decision.outcome(), decision.warnings().stream()
                    .limit(VerdictCache.Verdict.MAX_REASONS).map(v -> v.policy() + ": " + v.message()).toList(), clock.instant()));
        }
        return new Facts.HelmImage(reference, key.map(k -> k.image().toString()).orElse(report.digest()),
                decision.outcome() != Decision.Outcome.DENY, decision.denials().stream().map(v -> v.policy() + ": " + v.message()).toList());
    }

    private Optional<VerdictCache.Key> verdictKey(String repository, Digest digest, String namespace) {
        try {
            return Optional.of(new VerdictCache.Key(repository, digest, policy.revision(), verdicts.trustConfiguration(),
                    namespace == null ? "" : namespace));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A cache that cannot answer costs a verification, never a verdict. */
    private Optional<VerdictCache.Verdict> cachedVerdict(VerdictCache.Key key) {
        try {
            return verdicts.cache().get(key).filter(v -> v.outcome() != Decision.Outcome.DENY);
        } catch (RuntimeException e) {
            log.accept("verdict cache read failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    private void cacheVerdict(VerdictCache.Key key, VerdictCache.Verdict verdict) {
        try {
            verdicts.cache().put(key, verdict, verdicts.ttl());
        } catch (RuntimeException e) {
            log.accept("verdict cache write failed: " + e.getMessage());
        }
    }

    private static ImageConfig configOf(Target target) throws RegistryException {
        return ImageConfig.fetch(target.repository(), target.manifest());
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /** Turns verified outcomes into facts on the policy input, keeping a record of every piece. */
    private final class Interpretation {

        private final PolicyInput input;
        private final List<VerificationReport.EvidenceRecord> records;
        private final List<Facts.Provenance> provenances = new ArrayList<>();
        private final List<Inventory> signedSboms = new ArrayList<>();
        private final List<Inventory> unsignedSboms = new ArrayList<>();
        private final List<VexDocument> vex = new ArrayList<>();
        private final List<ScanReport> scans = new ArrayList<>();
        private final SbomReader sbomReader = new SbomReader();

        Interpretation(PolicyInput input, List<VerificationReport.EvidenceRecord> records) {
            this.input = input;
            this.records = records;
        }

        void accept(EvidenceVerifier.Outcome outcome) {
            Evidence e = outcome.evidence();
            String digest = e.descriptor().digest().toString();
            if (outcome instanceof EvidenceVerifier.SignatureVerified s) {
                input.signature(s.signature());
                records.add(new VerificationReport.EvidenceRecord("signature", e.source(), digest, null,
                        VerificationReport.Status.VERIFIED, signerText(s.signature().signer())));
            } else if (outcome instanceof EvidenceVerifier.StatementVerified st) {
                statement(st.statement(), e, digest);
            } else if (outcome instanceof EvidenceVerifier.Rejected r) {
                input.reject(r.rejection());
                records.add(new VerificationReport.EvidenceRecord(r.rejection().kind(), e.source(), digest,
                        r.rejection().predicateType(), VerificationReport.Status.REJECTED, r.rejection().reason()));
            } else if (outcome instanceof EvidenceVerifier.Unsigned u && u.evidence() instanceof Evidence.Document d) {
                unsigned(d, digest);
            } else if (outcome instanceof EvidenceVerifier.Unsigned u && u.evidence() instanceof Evidence.StatementReferrer r) {
                unsignedStatement(r, digest);
            }
        }

        private void statement(VerifiedStatement st, Evidence e, String digest) {
            String type = st.predicateType();
            input.attestation(new Facts.Attestation(type, st.signer(), digest, e.source()));
            String detail = signerText(st.signer());
            try {
                byte[] predicate = UntrustedJson.mapper().writeValueAsBytes(st.predicate());
                if (ProvenanceFacts.isProvenance(type)) {
                    Facts.Provenance p = ProvenanceFacts.of(st, builders);
                    provenances.add(p);
                    detail += "; builder " + p.builderId() + (p.builderTrusted() ? " (trusted, L" + p.level() + ")" : " (not trusted)");
                } else if (SbomReader.isSbomPredicateType(type)) {
                    Inventory inventory = sbomReader.readPredicate(type, st.predicate());
                    signedSboms.add(inventory);
                    detail += "; " + inventory.components().size() + " components";
                } else if (isVex(type)) {
                    vex.add(VexDocuments.parse(predicate, new VexSource.Attestation(signerText(st.signer()))));
                } else if (isScan(type)) {
                    ScanReport report = ScanReports.parse(predicate);
                    scans.add(report);
                    detail += "; " + report.findings().size() + " findings";
                }
                records.add(new VerificationReport.EvidenceRecord("attestation", e.source(), digest, type,
                        VerificationReport.Status.VERIFIED, detail));
            } catch (MalformedInputException | com.fasterxml.jackson.core.JsonProcessingException ex) {
                String reason = "signed " + type + " does not parse: " + ex.getMessage();
                input.reject(new Facts.Rejection(kindOf(type), digest, type, reason));
                records.add(new VerificationReport.EvidenceRecord("attestation", e.source(), digest, type,
                        VerificationReport.Status.REJECTED, reason));
            }
        }

        private void unsigned(Evidence.Document d, String digest) {
            String type = d.artifactType();
            try {
                if (isVexMediaType(type)) {
                    vex.add(VexDocuments.parse(d.content(), new VexSource.Untrusted("attached without a signature")));
                    records.add(new VerificationReport.EvidenceRecord("vex", d.source(), digest, type, VerificationReport.Status.UNSIGNED,
                            "listed, not applied: not signed by a trusted authority"));
                    return;
                }
                Inventory inventory = sbomReader.read(d.content());
                unsignedSboms.add(inventory);
                records.add(new VerificationReport.EvidenceRecord("sbom", d.source(), digest, type, VerificationReport.Status.UNSIGNED,
                        inventory.components().size() + " components, not signed"));
            } catch (MalformedInputException ex) {
                records.add(new VerificationReport.EvidenceRecord("document", d.source(), digest, type, VerificationReport.Status.UNSIGNED,
                        "ignored: " + ex.getMessage()));
            }
        }

        /** An unsigned statement is only ever an unsigned SBOM, which policy may accept; anything else is listed, not used. */
        private void unsignedStatement(Evidence.StatementReferrer r, String digest) {
            String type = r.descriptor().annotation(InTotoStatement.PREDICATE_TYPE_ANNOTATION);
            try {
                InTotoStatement statement = InTotoStatement.parse(r.statement());
                type = statement.predicateType();
                if (SbomReader.isSbomPredicateType(type) && statement.hasSubject(r.subject().algorithm(), r.subject().hex())) {
                    Inventory inventory = sbomReader.readPredicate(type, statement.predicate());
                    unsignedSboms.add(inventory);
                    records.add(new VerificationReport.EvidenceRecord("sbom", r.source(), digest, type, VerificationReport.Status.UNSIGNED,
                            inventory.components().size() + " components, attestation manifest " + r.manifest() + " not signed"));
                    return;
                }
                records.add(new VerificationReport.EvidenceRecord(kindOf(type), r.source(), digest, type,
                        VerificationReport.Status.UNSIGNED, "not used: attestation manifest " + r.manifest() + " carries no signature"));
            } catch (MalformedInputException ex) {
                records.add(new VerificationReport.EvidenceRecord(kindOf(type), r.source(), digest, type,
                        VerificationReport.Status.UNSIGNED, "ignored: " + ex.getMessage()));
            }
        }

        void operatorDocuments(List<VexDocument> operatorVex, List<ScanReport> operatorScans) {
            vex.addAll(operatorVex);
            scans.addAll(operatorScans);
        }

        List<VerificationReport.Suppression> findings(Target target, Instant now) {
            for (VexDocument d : vex) {
                input.vexDocument(new Facts.VexDocument(d.id(), d.author(), d.format().name().toLowerCase(Locale.ROOT),
                        d.source().trusted(), d.source().describe()));
            }
            List<VerificationReport.Suppression> suppressions = new ArrayList<>();
            if (scans.isEmpty()) {
                return suppressions;
            }
            MergedVex merged;
            try {
                merged = dev.gatehouse.vex.VexMerger.merge(vex);
            } catch (VexMergeException e) {
                input.reject(new Facts.Rejection("vex", null, null, e.getMessage()));
                merged = null;
            }
            var index = target.image().referencedIndex();
            ProductIdentity image = ProductIdentity.ofImage(target.image().reference().isLayout() ? null
                    : target.image().reference().repositoryName(), target.digest(), index == null ? null : index.digest());
            VexApplication application = merged == null ? null : new VexApplication(merged, vexPolicy);
            for (ScanReport report : scans) {
                List<VexVerdict> verdicts = application == null
                        ? report.findings().stream().map(f -> (VexVerdict) new VexVerdict.Kept(f.finding(), null)).toList()
                        : application.decide(report, image);
                for (VexVerdict verdict : verdicts) {
                    Finding f = verdict.finding();
                    Facts.VexDecision vexDecision = verdict.statement().map(s -> new Facts.VexDecision(
                            s.status().name().toLowerCase(Locale.ROOT), s.justification(), s.impactStatement(), s.documentId(),
                            s.author(), s.timestamp() == null ? null : s.timestamp().toString())).orElse(null);
                    input.finding(new Facts.Finding(f.id(), List.copyOf(f.aliases()), f.severity().name().toLowerCase(Locale.ROOT),
                            f.cvssScore() == null ? null : f.cvssScore().doubleValue(), f.purl() == null ? null : f.purl().toString(),
                            f.packageName(), f.installedVersion(), !f.fixedVersions().isEmpty(), f.fixedVersions(),
                            f.published() == null ? null : f.published().toString(),
                            f.fixDate() == null ? null : f.fixDate().toString(), null, verdict.suppressed(),
                            verdict.suppressed() ? vexDecision : null));
                    if (verdict.suppressed() && vexDecision != null) {
                        suppressions.add(new VerificationReport.Suppression(f.id(), f.purl() == null ? f.packageName() : f.purl().toString(),
                                vexDecision.status(), vexDecision.justification(), vexDecision.document(), vexDecision.author()));
                    }
                }
            }
            return suppressions;
        }

        void chooseSbomAndProvenance() {
            provenances.stream()
                    .max(Comparator.comparing(Facts.Provenance::builderTrusted).thenComparingInt(Facts.Provenance::level))
                    .ifPresent(input::provenance);
            if (!signedSboms.isEmpty()) {
                input.sbom(signedSboms.get(0), true);
            } else if (!unsignedSboms.isEmpty()) {
                input.sbom(unsignedSboms.get(0), false);
            }
        }
    }

    static boolean isVex(String predicateType) {
        return predicateType != null && (predicateType.startsWith("https://openvex.dev/ns")
                || predicateType.startsWith("https://cyclonedx.org/vex") || predicateType.contains("csaf"));
    }

    public static boolean isScan(String predicateType) {
        return predicateType != null && (predicateType.startsWith("https://cosign.sigstore.dev/attestation/vuln")
                || predicateType.startsWith("https://in-toto.io/attestation/vulns")
                || predicateType.startsWith("https://sarifweb.azurewebsites.net") || predicateType.contains("trivy")
                || predicateType.contains("grype"));
    }

    private static boolean isVexMediaType(String mediaType) {
        return mediaType != null && (mediaType.contains("openvex") || mediaType.contains("csaf") || mediaType.contains("vex"));
    }

    static String kindOf(String predicateType) {
        if (ProvenanceFacts.isProvenance(predicateType)) {
            return "provenance";
        }
        if (SbomReader.isSbomPredicateType(predicateType)) {
            return "sbom";
        }
        if (isVex(predicateType)) {
            return "vex";
        }
        return isScan(predicateType) ? "scan" : "attestation";
    }

    private static String signerText(Facts.Signer s) {
        if (s == null) {
            return "";
        }
        return s.identity() != null && !s.identity().isEmpty() ? "signed by " + s.identity() : "signed by key " + s.keyId();
    }
}
