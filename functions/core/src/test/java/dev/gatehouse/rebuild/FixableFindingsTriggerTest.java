package dev.gatehouse.rebuild;

import static dev.gatehouse.rebuild.RebuildFixtures.REGISTRY;
import static dev.gatehouse.rebuild.RebuildFixtures.digest;
import static dev.gatehouse.rebuild.RebuildFixtures.input;
import static dev.gatehouse.rebuild.RebuildFixtures.verified;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.VerifiedImage;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.ports.local.InMemoryIdempotencyKeys;
import dev.gatehouse.ports.local.InMemoryImageGraph;
import dev.gatehouse.ports.local.RecordingEventPublisher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A scan that finds a fixable CVE whose fix is in a newer digest of the image's base tag rebuilds the image. */
class FixableFindingsTriggerTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final String BASE = REGISTRY + "/base";
    static final String CUSTOM = REGISTRY + "/custom";

    final InMemoryImageGraph graph = new InMemoryImageGraph();
    final RebuilderTest.ScriptedRunner runner = new RebuilderTest.ScriptedRunner();
    final Map<Digest, BaseFindings.Verification> verifications = new HashMap<>();
    final List<String> log = new ArrayList<>();

    final BaseFindings bases = new BaseFindings() {
        @Override
        public Optional<Digest> currentDigest(String repository, String tag) {
            return repository.equals(BASE) && tag.equals("latest") ? Optional.of(digest("base-2")) : Optional.empty();
        }

        @Override
        public Optional<Verification> latest(Digest digest) {
            return Optional.ofNullable(verifications.get(digest));
        }
    };

    RebuildTrigger trigger() {
        RebuildCatalog catalog = new RebuildCatalog(List.of(new RebuildTarget(CUSTOM, "1", ImageReference.parse(BASE + ":latest"),
                new BuildDefinition.Containerfile(Path.of("/src/Containerfile"), Path.of("/src")))), RebuildSettings.DEFAULTS);
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Rebuilder rebuilder = new Rebuilder(runner, graph, new InMemoryIdempotencyKeys(clock), new RecordingEventPublisher(100),
                RebuildSettings.DEFAULTS, clock, log::add, List.of());
        return new RebuildTrigger(graph, () -> catalog, rebuilder, bases, log::add);
    }

    static VerifiedImage scanned(String cve) {
        ObjectNode input = input(true, BASE + ":latest", digest("base-1"));
        input.putObject("vulnerabilities").putArray("findings").addObject().put("id", cve).put("fix_available", true).put("suppressed", false);
        return verified("custom", digest("custom-1"), null, input, Decision.Outcome.DENY, T0);
    }

    @Test
    void aFixableFindingGoneFromTheNewerBaseRebuildsTheImageOnIt() throws Exception {
        verifications.put(digest("base-1"), new BaseFindings.Verification(false, Set.of("CVE-1")));
        verifications.put(digest("base-2"), new BaseFindings.Verification(true, Set.of()));

        trigger().onVerified(scanned("CVE-1"));

        assertThat(runner.started).singleElement().satisfies(r -> {
            assertThat(r.targetRepository()).isEqualTo(CUSTOM);
            assertThat(r.base().digest()).isEqualTo(digest("base-2"));
        });
    }

    @Test
    void aFindingTheNewerBaseStillHasRebuildsNothing() throws Exception {
        verifications.put(digest("base-1"), new BaseFindings.Verification(false, Set.of("CVE-1")));
        verifications.put(digest("base-2"), new BaseFindings.Verification(false, Set.of("CVE-1")));
        trigger().onVerified(scanned("CVE-1"));
        assertThat(runner.started).isEmpty();
    }

    @Test
    void aFindingThatDoesNotComeFromTheBaseRebuildsNothing() throws Exception {
        verifications.put(digest("base-1"), new BaseFindings.Verification(true, Set.of()));
        verifications.put(digest("base-2"), new BaseFindings.Verification(true, Set.of()));
        trigger().onVerified(scanned("CVE-APP-ONLY"));
        assertThat(runner.started).isEmpty();
    }

    @Test
    void aNewerBaseThatIsDeniedOrUnverifiedIsNotBuiltOn() throws Exception {
        verifications.put(digest("base-1"), new BaseFindings.Verification(false, Set.of("CVE-1")));
        trigger().onVerified(scanned("CVE-1"));
        verifications.put(digest("base-2"), new BaseFindings.Verification(false, Set.of()));
        trigger().onVerified(scanned("CVE-1"));
        assertThat(runner.started).isEmpty();
        assertThat(log).anyMatch(l -> l.contains("was not verified yet")).anyMatch(l -> l.contains("was denied"));
    }
}
