package dev.gatehouse.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.aws.testing.AwsJsonServer;
import dev.gatehouse.ports.ImageEnumerator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecr.EcrClient;

/**
 * DescribeRepositories and DescribeImages against a stub ECR endpoint on loopback. No local ECR
 * exists, so the stub answers in ECR's documented JSON wire format (AWS JSON 1.1, targets
 * {@code AmazonEC2ContainerRegistry_V20150921.*}, {@code nextToken} pagination, epoch-second
 * timestamps); nothing reaches AWS.
 */
class EcrImageEnumeratorTest {

    private static final String ACCOUNT = "123456789012";
    private static final String A = "sha256:" + "a".repeat(64);
    private static final String B = "sha256:" + "b".repeat(64);
    private static final String C = "sha256:" + "c".repeat(64);

    /** Response bodies by target and the request's nextToken ("" for the first page). */
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    /** Each request as "TARGET BODY". */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private AwsJsonServer server;

    @BeforeEach
    void start() throws Exception {
        server = AwsJsonServer.start((target, request) -> {
            requests.add(target + " " + request);
            String operation = target.substring(target.indexOf('.') + 1);
            String repository = request.path("repositoryName").asText("");
            String answer = answers.get(operation + "|" + repository + "|" + request.path("nextToken").asText(""));
            return answer != null ? AwsJsonServer.Reply.ok(answer) : AwsJsonServer.Reply.error("RepositoryNotFoundException",
                    "The repository with name '" + repository + "' does not exist in the registry with id '" + ACCOUNT + "'");
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private EcrImageEnumerator enumerator() {
        return new EcrImageEnumerator(server.configure(EcrClient.builder()).build(), ACCOUNT, "eu-west-1");
    }

    private static String repository(String name) {
        return "{\"repositoryArn\":\"arn:aws:ecr:eu-west-1:" + ACCOUNT + ":repository/" + name + "\",\"registryId\":\"" + ACCOUNT
                + "\",\"repositoryName\":\"" + name + "\",\"repositoryUri\":\"" + ACCOUNT + ".dkr.ecr.eu-west-1.amazonaws.com/" + name
                + "\",\"createdAt\":1.7643e9,\"imageTagMutability\":\"IMMUTABLE\"}";
    }

    private static String image(String repository, String digest, String tags) {
        return "{\"registryId\":\"" + ACCOUNT + "\",\"repositoryName\":\"" + repository + "\",\"imageDigest\":\"" + digest
                + "\"," + (tags == null ? "" : "\"imageTags\":[" + tags + "],") + "\"imageSizeInBytes\":2841726,"
                + "\"imagePushedAt\":1.764201234E9,\"imageManifestMediaType\":\"application/vnd.oci.image.manifest.v1+json\"}";
    }

    @Test
    void listsEveryRepositoryAndImageFollowingNextToken() throws Exception {
        answers.put("DescribeRepositories||", "{\"repositories\":[" + repository("team/app") + "],\"nextToken\":\"r2\"}");
        answers.put("DescribeRepositories||r2", "{\"repositories\":[" + repository("team/base") + "]}");
        answers.put("DescribeImages|team/app|", "{\"imageDetails\":[" + image("team/app", A, "\"v1\",\"latest\"") + ","
                + image("team/app", B, "\"sha256-" + "a".repeat(64) + ".sig\"") + "],\"nextToken\":\"i2\"}");
        answers.put("DescribeImages|team/app|i2", "{\"imageDetails\":[" + image("team/app", C, null) + "]}");
        answers.put("DescribeImages|team/base|", "{\"imageDetails\":[" + image("team/base", A, "\"2026.11\"") + "]}");

        ImageEnumerator.Listing listing = enumerator().list(ImageEnumerator.Scope.everything(100));

        String host = ACCOUNT + ".dkr.ecr.eu-west-1.amazonaws.com";
        assertThat(listing.images()).extracting(i -> i.registry() + "/" + i.repository() + "@" + i.digest() + " " + i.tags())
                .containsExactly(host + "/team/app@" + A + " [v1, latest]",
                        host + "/team/app@" + B + " [sha256-" + "a".repeat(64) + ".sig]",
                        host + "/team/app@" + C + " []",
                        host + "/team/base@" + A + " [2026.11]");
        assertThat(listing.unlisted()).isEmpty();
        assertThat(listing.truncated()).isFalse();
        assertThat(requests).allMatch(r -> r.contains("\"registryId\":\"" + ACCOUNT + "\""));
        assertThat(requests).filteredOn(r -> r.startsWith("AmazonEC2ContainerRegistry_V20150921.DescribeImages")).hasSize(3);
    }

    @Test
    void namedRepositoriesSkipDescribeRepositoriesAndAMissingOneIsReported() throws Exception {
        answers.put("DescribeImages|team/app|", "{\"imageDetails\":[" + image("team/app", A, "\"v1\"") + "]}");
        ImageEnumerator.Listing listing = enumerator().list(new ImageEnumerator.Scope(List.of("team/app", "team/gone"), 100));
        assertThat(listing.images()).hasSize(1);
        assertThat(listing.unlisted()).singleElement().satisfies(u -> {
            assertThat(u.repository()).isEqualTo("team/gone");
            assertThat(u.problem()).contains("RepositoryNotFoundException").doesNotContain("\n");
        });
        assertThat(requests).noneMatch(r -> r.contains("DescribeRepositories"));
    }

    @Test
    void imageLimitTruncatesTheListing() throws Exception {
        answers.put("DescribeImages|team/app|", "{\"imageDetails\":[" + image("team/app", A, "\"v1\"") + ","
                + image("team/app", B, "\"v2\"") + "]}");
        ImageEnumerator.Listing listing = enumerator().list(new ImageEnumerator.Scope(List.of("team/app"), 1));
        assertThat(listing.images()).hasSize(1);
        assertThat(listing.truncated()).isTrue();
    }

    @Test
    void unreadableRepositoryListFailsTheListing() {
        assertThatThrownBy(() -> enumerator().list(ImageEnumerator.Scope.everything(10)))
                .isInstanceOf(ImageEnumerator.EnumerationException.class)
                .hasMessageContaining("DescribeRepositories");
    }
}
