package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsParseCommandTest {

    @TempDir
    Path dir;

    private static Digest randomDigest() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return new Digest("sha256", HexFormat.of().formatHex(b));
    }

    private static String event(String action, String mediaType, Digest digest, String tag) {
        return "{\"id\":\"ev\",\"timestamp\":\"2026-11-26T10:00:00Z\",\"action\":\"" + action + "\",\"target\":{\"mediaType\":\""
                + mediaType + "\",\"digest\":\"" + digest + "\",\"repository\":\"team/app\",\"tag\":\"" + tag
                + "\",\"url\":\"https://registry.example/v2/team/app/manifests/" + digest + "\"},\"request\":{\"host\":\"registry.example\"}}";
    }

    @Test
    void printsOneJsonLinePerEventOfTheEnvelope() throws Exception {
        Digest image = randomDigest();
        Digest signature = randomDigest();
        Path file = dir.resolve("envelope.json");
        Files.writeString(file, "{\"events\":[" + event("push", "application/vnd.oci.image.manifest.v1+json", image, "v1") + ","
                + event("push", "application/vnd.oci.image.manifest.v1+json", signature, image.tagForm() + ".sig") + ","
                + event("pull", "application/vnd.oci.image.manifest.v1+json", image, "v1") + "]}");
        CliRun run = CliRun.of("events", "parse", file.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(3);
        JsonNode push = UntrustedJson.parse(lines[0], "line");
        assertThat(push.get("kind").asText()).isEqualTo("image-pushed");
        assertThat(push.get("idempotency_key").asText()).isEqualTo("registry.example/team/app@" + image);
        assertThat(push.get("tag").asText()).isEqualTo("v1");
        JsonNode attachment = UntrustedJson.parse(lines[1], "line");
        assertThat(attachment.get("kind").asText()).isEqualTo("attachment-pushed");
        assertThat(attachment.get("subject").asText()).isEqualTo(image.toString());
        assertThat(attachment.get("attachment").asText()).isEqualTo("signature");
        JsonNode ignored = UntrustedJson.parse(lines[2], "line");
        assertThat(ignored.get("kind").asText()).isEqualTo("ignored");
        assertThat(ignored.get("reason").asText()).isEqualTo("action pull is not a push");
    }

    @Test
    void malformedEnvelopeExitsTwoWithOneLineNamingFileAndPlace() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"events\":\"nope\"}");
        CliRun run = CliRun.of("events", "parse", file.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("bad.json: distribution notification envelope at /events: expected an array");
    }
}
