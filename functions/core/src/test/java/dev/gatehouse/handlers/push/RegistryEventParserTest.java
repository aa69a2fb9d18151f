package dev.gatehouse.handlers.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.testing.Oracles;
import dev.gatehouse.oci.testing.TestImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegistryEventParserTest {

    private static final String ORACLES = "registry-events/";
    private final RegistryEventParser parser = new RegistryEventParser();

    private static Digest randomDigest() {
        return Digest.sha256(TestImages.randomBytes(32));
    }

    private List<RegistryEvent> parse(String json) throws MalformedInputException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private List<RegistryEvent> parseOracle(String file) throws Exception {
        Path path = Oracles.require(ORACLES + file);
        return parser.parse(Files.readAllBytes(path));
    }

    static String ecr(String action, String result, String digest, String tag) {
        return "{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"ECR Image Action\",\"source\":\"aws.ecr\","
                + "\"account\":\"111122223333\",\"time\":\"2026-11-26T10:00:00Z\",\"region\":\"eu-west-1\",\"resources\":[],"
                + "\"detail\":{\"result\":\"" + result + "\",\"repository-name\":\"team/app\",\"image-digest\":\"" + digest + "\","
                + "\"action-type\":\"" + action + "\"" + (tag == null ? "" : ",\"image-tag\":\"" + tag + "\"")
                + ",\"manifest-media-type\":\"application/vnd.oci.image.manifest.v1+json\"}}";
    }

    static String distributionEvent(String action, String mediaType, Digest digest, String repository, String tag, String url,
                                    String requestHost) {
        return "{\"id\":\"ev-" + digest.hex().substring(0, 8) + "\",\"timestamp\":\"2026-11-26T10:00:00.5+01:00\",\"action\":\"" + action + "\","
                + "\"target\":{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":500,"
                + "\"repository\":\"" + repository + "\"" + (url == null ? "" : ",\"url\":\"" + url + "\"")
                + (tag == null ? "" : ",\"tag\":\"" + tag + "\"") + "},"
                + "\"request\":{\"id\":\"r\",\"addr\":\"10.0.0.1:1\"" + (requestHost == null ? "" : ",\"host\":\"" + requestHost + "\"")
                + ",\"method\":\"PUT\",\"useragent\":\"test\"},\"actor\":{},\"source\":{\"addr\":\"x:5000\",\"instanceID\":\"i\"}}";
    }

    @Test
    void oracleEcrPushWithTheSixtyHexSampleDigestIsIgnoredAsInvalidNotParsed() throws Exception {
        List<RegistryEvent> events = parseOracle("aws-ecr-eventbridge/ecr-image-action-push.json");
        assertThat(events).singleElement().isInstanceOfSatisfying(RegistryEvent.Ignored.class, ignored -> {
            assertThat(ignored.invalid()).isTrue();
            assertThat(ignored.eventId()).isEqualTo("13cde686-328b-6117-af20-0e5566167482");
            assertThat(ignored.reason()).contains("/detail/image-digest").contains("64 lowercase hex");
        });
    }

    @Test
    void oracleEcrPushWithItsDigestRepairedParsesAsPushOfTheRepositoryAndTag() throws Exception {
        Path path = Oracles.require(ORACLES + "aws-ecr-eventbridge/ecr-image-action-push.json");
        String json = Files.readString(path).replaceAll("\"sha256:[0-9a-f]+\"", "\"sha256:" + "ab".repeat(32) + "\"");
        RegistryEvent.ImagePushed pushed = (RegistryEvent.ImagePushed) parse(json).get(0);
        PushEvent push = pushed.push();
        assertThat(push.registry()).isEqualTo("123456789012.dkr.ecr.us-west-2.amazonaws.com");
        assertThat(push.repository()).isEqualTo("my-repository-name");
        assertThat(push.tag()).isEqualTo("latest");
        assertThat(push.time()).isEqualTo(Instant.parse("2019-11-16T01:54:34Z"));
        assertThat(push.source()).isEqualTo(EventSource.ECR_EVENTBRIDGE);
        assertThat(push.mediaType()).isNull();
    }

    @Test
    void oracleEcrDeleteScanAndScanResourceChangeAreIgnoredAsNotPushes() throws Exception {
        for (String file : List.of("ecr-image-action-delete.json", "ecr-image-scan-basic.json",
                "ecr-inspector2-enhanced-scan-resource-change.json")) {
            assertThat(parseOracle("aws-ecr-eventbridge/" + file)).as(file).singleElement()
                    .isInstanceOfSatisfying(RegistryEvent.Ignored.class, i -> assertThat(i.invalid()).isFalse());
        }
    }

    @Test
    void oracleDistributionPushOfManifestAndTwoBlobsGivesOnePushAndTwoIgnoredBlobs() throws Exception {
        List<RegistryEvent> events = parseOracle("distribution-notifications/envelope-push-manifest-and-2-blobs.json");
        assertThat(events).hasSize(3);
        PushEvent push = ((RegistryEvent.ImagePushed) events.get(0)).push();
        assertThat(push.registry()).as("the URL's host, not a digest from the URL").isEqualTo("example.com");
        assertThat(push.repository()).isEqualTo("library/test");
        assertThat(push.digest()).hasToString("sha256:fea8895f450959fa676bcc1df0611ea93823a735a01205fd8622846041d0c7cf");
        assertThat(push.tag()).isNull();
        assertThat(push.time()).isEqualTo(Instant.parse("2006-01-02T15:04:05Z"));
        assertThat(events.subList(1, 3)).allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(RegistryEvent.Ignored.class,
                i -> assertThat(i.reason()).startsWith("blob push")));
    }

    @Test
    void oracleDistributionPullIsIgnored() throws Exception {
        assertThat(parseOracle("distribution-notifications/envelope-pull-manifest.json")).singleElement()
                .isInstanceOfSatisfying(RegistryEvent.Ignored.class, i -> assertThat(i.reason()).contains("pull"));
    }

    @Test
    void oracleDeleteTargetFragmentIsNoEnvelope() throws Exception {
        Path path = Oracles.require(ORACLES + "distribution-notifications/delete-target-fragment.json");
        assertThatThrownBy(() -> parser.parse(Files.readAllBytes(path)))
                .isInstanceOf(MalformedInputException.class).hasMessageContaining("neither");
    }

    @Test
    void ecrPushOfAValidDigestIsAnImagePushWithTheEcrRegistryHost() throws Exception {
        Digest digest = randomDigest();
        PushEvent push = ((RegistryEvent.ImagePushed) parse(ecr("PUSH", "SUCCESS", digest.toString(), "v1")).get(0)).push();
        assertThat(push.reference()).isEqualTo("111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/app@" + digest);
        assertThat(push.mediaType()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        assertThat(push.eventId()).isEqualTo("e-1");
    }

    @Test
    void ecrFailedPushIsIgnored() throws Exception {
        assertThat(parse(ecr("PUSH", "FAILURE", randomDigest().toString(), "v1"))).singleElement()
                .isInstanceOfSatisfying(RegistryEvent.Ignored.class, i -> assertThat(i.reason()).contains("FAILURE"));
    }

    @Test
    void ecrPushWithoutTagIsAPushByDigest() throws Exception {
        RegistryEvent.ImagePushed pushed = (RegistryEvent.ImagePushed) parse(ecr("PUSH", "SUCCESS", randomDigest().toString(), null)).get(0);
        assertThat(pushed.push().tag()).isNull();
    }

    @Test
    void anEmptyTagIsAPushByDigestInEitherEnvelope() throws Exception {
        RegistryEvent.ImagePushed ecr = (RegistryEvent.ImagePushed) parse(ecr("PUSH", "SUCCESS", randomDigest().toString(), "")).get(0);
        assertThat(ecr.push().tag()).isNull();
        String envelope = "{\"events\":[" + distributionEvent("push", "application/vnd.oci.image.manifest.v1+json", randomDigest(),
                "team/app", "", "https://registry.example/v2/team/app/manifests/x", null) + "]}";
        RegistryEvent.ImagePushed distribution = (RegistryEvent.ImagePushed) parse(envelope).get(0);
        assertThat(distribution.push().tag()).isNull();
    }

    @Test
    void ecrReferrerPushIsAPushTheHandlerClassifiesByItsSubject() throws Exception {
        Digest referrer = randomDigest();
        String event = ecr("PUSH", "SUCCESS", referrer.toString(), null).replace("ECR Image Action", "ECR Referrer Action");
        RegistryEvent.ImagePushed pushed = (RegistryEvent.ImagePushed) parse(event).get(0);
        assertThat(pushed.push().digest()).isEqualTo(referrer);
        assertThat(pushed.push().tag()).isNull();
        String archived = ecr("ARCHIVE", "SUCCESS", referrer.toString(), null).replace("ECR Image Action", "ECR Referrer Action");
        assertThat(parse(archived)).singleElement().isInstanceOf(RegistryEvent.Ignored.class);
    }

    @Test
    void cosignSignatureAttestationSbomAndReferrersTagsAreAttachmentsOfTheirSubject() throws Exception {
        Digest subject = randomDigest();
        for (var c : List.of(new Object[] {".sig", AttachmentKind.SIGNATURE}, new Object[] {".att", AttachmentKind.ATTESTATION},
                new Object[] {".sbom", AttachmentKind.SBOM}, new Object[] {"", AttachmentKind.REFERRERS_INDEX})) {
            RegistryEvent event = parse(ecr("PUSH", "SUCCESS", randomDigest().toString(), subject.tagForm() + c[0])).get(0);
            assertThat(event).as("tag suffix '%s'", c[0]).isInstanceOfSatisfying(RegistryEvent.AttachmentPushed.class, a -> {
                assertThat(a.subject()).isEqualTo(subject);
                assertThat(a.kind()).isEqualTo(c[1]);
                assertThat(a.subjectReference()).endsWith("/team/app@" + subject);
            });
        }
    }

    @Test
    void aTagThatOnlyLooksLikeAnAttachmentTagIsAnOrdinaryPush() throws Exception {
        assertThat(parse(ecr("PUSH", "SUCCESS", randomDigest().toString(), "sha256-abc.sig")).get(0))
                .isInstanceOf(RegistryEvent.ImagePushed.class);
    }

    @Test
    void distributionPushTakesTheUrlHostElseTheRequestHost() throws Exception {
        Digest a = randomDigest();
        Digest b = randomDigest();
        String envelope = "{\"events\":["
                + distributionEvent("push", "application/vnd.oci.image.index.v1+json", a, "apps/web", "1.0",
                        "http://registry.example:5000/v2/apps/web/manifests/" + a, "other.example")
                + "," + distributionEvent("push", "application/vnd.docker.distribution.manifest.v2+json", b, "apps/web", null, null,
                        "Registry.Example:5000") + "]}";
        List<RegistryEvent> events = parse(envelope);
        PushEvent first = ((RegistryEvent.ImagePushed) events.get(0)).push();
        PushEvent second = ((RegistryEvent.ImagePushed) events.get(1)).push();
        assertThat(first.registry()).isEqualTo("registry.example:5000");
        assertThat(first.tag()).isEqualTo("1.0");
        assertThat(first.time()).isEqualTo(Instant.parse("2026-11-26T09:00:00.5Z"));
        assertThat(first.mediaType()).isEqualTo("application/vnd.oci.image.index.v1+json");
        assertThat(second.registry()).isEqualTo("registry.example:5000");
        assertThat(second.source()).isEqualTo(EventSource.DISTRIBUTION);
    }

    @Test
    void idempotencyKeyIgnoresTheTagSoOneDigestUnderTwoTagsIsOneUnitOfWork() throws Exception {
        Digest digest = randomDigest();
        PushEvent v1 = ((RegistryEvent.ImagePushed) parse(ecr("PUSH", "SUCCESS", digest.toString(), "v1")).get(0)).push();
        PushEvent latest = ((RegistryEvent.ImagePushed) parse(ecr("PUSH", "SUCCESS", digest.toString(), "latest")).get(0)).push();
        assertThat(v1.idempotencyKey()).isEqualTo(latest.idempotencyKey());
        assertThat(v1.idempotencyKey().value()).isEqualTo("111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/app@" + digest);
        PushEvent other = ((RegistryEvent.ImagePushed) parse(ecr("PUSH", "SUCCESS", randomDigest().toString(), "v1")).get(0)).push();
        assertThat(other.idempotencyKey()).isNotEqualTo(v1.idempotencyKey());
    }

    @Test
    void brokenEventsAreIgnoredWithTheirPlaceWhileTheOthersStillParse() throws Exception {
        Digest good = randomDigest();
        String envelope = "{\"events\":[42,"
                + distributionEvent("push", "application/vnd.oci.image.manifest.v1+json", randomDigest(), "Bad_Repo", "v1", null, "r.example")
                + "," + distributionEvent("push", "application/vnd.oci.image.manifest.v1+json", good, "ok/repo", "v1", null, null)
                + ",{\"action\":\"push\",\"target\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":7},\"request\":{\"host\":\"r.example\"}}"
                + "," + distributionEvent("push", "application/vnd.oci.image.manifest.v1+json", good, "ok/repo", "v1", null, "r.example")
                + "]}";
        List<RegistryEvent> events = parse(envelope);
        assertThat(events).hasSize(5);
        assertThat(((RegistryEvent.Ignored) events.get(0)).reason()).isEqualTo("invalid event: /events/0: expected an object, found number");
        assertThat(((RegistryEvent.Ignored) events.get(1)).reason()).contains("/events/1/target/repository");
        assertThat(((RegistryEvent.Ignored) events.get(2)).reason()).contains("no registry host");
        assertThat(((RegistryEvent.Ignored) events.get(3)).reason()).contains("/events/3/target/repository: missing");
        assertThat(events.get(4)).isInstanceOf(RegistryEvent.ImagePushed.class);
    }

    @Test
    void malformedEnvelopesFailWithOneLineNamingFormatAndPlace() {
        assertThatThrownBy(() -> parse("{\"events\":{}}")).isInstanceOf(MalformedInputException.class)
                .hasMessage("distribution notification envelope at /events: expected an array, found object");
        assertThatThrownBy(() -> parse("[1]")).hasMessage("registry event at /: expected a JSON object, found array");
        assertThatThrownBy(() -> parse("{\"events\":[")).isInstanceOf(MalformedInputException.class).hasMessageStartingWith("registry event at line 1");
        assertThatThrownBy(() -> parse("{\"detail-type\":\"ECR Image Action\",\"source\":\"aws.ecr\"}"))
                .hasMessage("EventBridge ECR event at /detail: expected an object");
        assertThatThrownBy(() -> parse("{\"events\":[" + "{},".repeat(RegistryEventParser.MAX_EVENTS) + "{}]}"))
                .hasMessageContaining("exceed the limit of 1000");
        byte[] big = ("{\"events\":[],\"pad\":\"" + "x".repeat(RegistryEventParser.MAX_ENVELOPE_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.parse(big)).hasMessageContaining("exceeds the limit of 1048576 bytes");
    }

    @Test
    void otherEventBridgeSourcesAndRegionsAreHandled() throws Exception {
        assertThat(parse(ecr("PUSH", "SUCCESS", randomDigest().toString(), "v1").replace("aws.ecr", "aws.s3")).get(0))
                .isInstanceOfSatisfying(RegistryEvent.Ignored.class, i -> assertThat(i.reason()).contains("not aws.ecr"));
        PushEvent china = ((RegistryEvent.ImagePushed) parse(ecr("PUSH", "SUCCESS", randomDigest().toString(), "v1")
                .replace("eu-west-1", "cn-north-1")).get(0)).push();
        assertThat(china.registry()).isEqualTo("111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn");
        assertThat(parse(ecr("PUSH", "SUCCESS", randomDigest().toString(), "v1").replace("eu-west-1", "../evil")).get(0))
                .isInstanceOfSatisfying(RegistryEvent.Ignored.class, i -> assertThat(i.reason()).contains("/region"));
    }

    @Test
    void mutatedEnvelopesEitherParseOrFailWithMalformedInputOnly() throws Exception {
        Random random = new Random(42);
        String base = "{\"events\":[" + distributionEvent("push", "application/vnd.oci.image.manifest.v1+json", randomDigest(),
                "a/b", "sha256-" + "c".repeat(64) + ".sig", "http://h:1/v2/a/b/manifests/x", "h:1") + "]}";
        String ecrBase = ecr("PUSH", "SUCCESS", randomDigest().toString(), "v1");
        for (int i = 0; i < 3000; i++) {
            char[] chars = (i % 2 == 0 ? base : ecrBase).toCharArray();
            for (int m = 0; m < 1 + random.nextInt(4); m++) {
                chars[random.nextInt(chars.length)] = "\"{}[],:0aZ.-/\\ ".charAt(random.nextInt(15));
            }
            try {
                assertThat(parser.parse(new String(chars).getBytes(StandardCharsets.UTF_8))).isNotNull();
            } catch (MalformedInputException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
            }
        }
    }
}
