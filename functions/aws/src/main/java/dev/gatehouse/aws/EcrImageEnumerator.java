package dev.gatehouse.aws;

import dev.gatehouse.io.Printable;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.ImageEnumerator;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.Repository;

/**
 * Lists the images of one ECR registry (an account in a region) for compliance scans:
 * DescribeRepositories (or the repositories the scope names), then DescribeImages per repository,
 * following {@code nextToken}. DescribeImages already gives each manifest's digest with all its
 * tags, so nothing is resolved through the registry API. A repository that cannot be described is
 * reported as unlisted; a repository list that cannot be read fails the listing.
 */
public final class EcrImageEnumerator implements ImageEnumerator {

    private static final int PAGE = 1000;
    private static final int MAX_PAGES = 10_000;

    private final EcrClient ecr;
    private final String registryId;
    private final String registryHost;

    /**
     * @param registryId the 12-digit account id of the registry
     * @param region     its region, for the registry host {@code <id>.dkr.ecr.<region>.amazonaws.com}
     */
    public EcrImageEnumerator(EcrClient ecr, String registryId, String region) {
        if (registryId == null || !registryId.matches("[0-9]{12}")) {
            throw new IllegalArgumentException("ECR registry id must be a 12-digit account id, got '" + registryId + "'");
        }
        this.ecr = ecr;
        this.registryId = registryId;
        this.registryHost = registryId + ".dkr.ecr." + region + ".amazonaws.com";
    }

    public String registryHost() {
        return registryHost;
    }

    @Override
    public String source() {
        return registryHost;
    }

    @Override
    public Listing list(Scope scope) throws EnumerationException {
        List<String> names = scope.repositories().isEmpty() ? repositories() : scope.repositories();
        List<ListedImage> images = new ArrayList<>();
        List<Unlisted> unlisted = new ArrayList<>();
        for (String name : names) {
            String token = null;
            int pages = 0;
            try {
                do {
                    String next = token;
                    DescribeImagesResponse page = ecr.describeImages(b -> b.registryId(registryId).repositoryName(name)
                            .maxResults(PAGE).nextToken(next));
                    for (ImageDetail detail : page.imageDetails()) {
                        Digest digest;
                        try {
                            digest = Digest.parse(detail.imageDigest());
                        } catch (IllegalArgumentException e) {
                            unlisted.add(new Unlisted(registryHost, name, null, "DescribeImages returned " + e.getMessage()));
                            continue;
                        }
                        if (images.size() == scope.maxImages()) {
                            return new Listing(images, unlisted, true);
                        }
                        images.add(new ListedImage(registryHost, name, digest, detail.hasImageTags() ? detail.imageTags() : List.of()));
                    }
                    token = page.nextToken();
                } while (token != null && ++pages < MAX_PAGES);
            } catch (SdkException e) {
                unlisted.add(new Unlisted(registryHost, name, null, "ECR DescribeImages failed: " + describe(e)));
            }
        }
        return new Listing(images, unlisted, false);
    }

    private List<String> repositories() throws EnumerationException {
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        try {
            do {
                String next = token;
                DescribeRepositoriesResponse page = ecr.describeRepositories(b -> b.registryId(registryId).maxResults(PAGE)
                        .nextToken(next));
                page.repositories().stream().map(Repository::repositoryName).forEach(names::add);
                token = page.nextToken();
            } while (token != null && ++pages < MAX_PAGES);
        } catch (SdkException e) {
            throw new EnumerationException(registryHost + ": ECR DescribeRepositories failed: " + describe(e), e);
        }
        return names;
    }

    /** ECR's error code and message when the service answered, else the client's reason. */
    private static String describe(SdkException e) {
        if (e instanceof EcrException ecr && ecr.awsErrorDetails() != null) {
            return ecr.awsErrorDetails().errorCode() + " "
                    + Printable.oneLine(ecr.awsErrorDetails().errorMessage(), Printable.QUOTED_ERROR_CHARS);
        }
        return Printable.oneLine(e.getMessage(), Printable.QUOTED_ERROR_CHARS);
    }
}
