package dev.gatehouse.lambda.rebuild;

import dev.gatehouse.aws.CodeBuildRunner;
import dev.gatehouse.aws.CodeBuildStateChanges;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.lambda.AwsPortProducers;
import dev.gatehouse.lambda.GatehouseConfig;
import dev.gatehouse.oci.OciRepositories;
import dev.gatehouse.ports.BlobStore;
import dev.gatehouse.ports.EventPublisher;
import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.ResultStore;
import dev.gatehouse.rebuild.BuiltImageListener;
import dev.gatehouse.rebuild.ImageGraphRecorder;
import dev.gatehouse.rebuild.RebuildCatalog;
import dev.gatehouse.rebuild.RebuildTrigger;
import dev.gatehouse.rebuild.Rebuilder;
import dev.gatehouse.rebuild.StoredResultsBaseFindings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codebuild.CodeBuildClientBuilder;

/**
 * Rebuilds in the Lambda deployment: the image-graph recorder (on {@code GATEHOUSE_GRAPH_TABLE}) and
 * the rebuild trigger are {@link VerificationListener} beans, which the push handler and the scan
 * worker collect; the trigger starts CodeBuild builds from the catalog in
 * {@code GATEHOUSE_REBUILD_CATALOG} when a base is pushed, and when a verification finds fixable
 * findings that the current digest of the image's base tag no longer has (the stored results say
 * which). The {@code rebuild-status} function follows those builds through
 * {@link CodeBuildStateChanges} on the same rebuild executor, which hands every pushed rebuild to the
 * {@link BuiltImageListener} beans. Without a catalog nothing is rebuilt, but the graph is still
 * recorded.
 */
@ApplicationScoped
public class RebuildProducers {

    @Produces
    @Singleton
    ImageGraphRecorder imageGraphRecorder(ImageGraph graph, JsonLog log) {
        return new ImageGraphRecorder(graph, message -> log.warn(message, Map.of()));
    }

    @Produces
    @Singleton
    RebuildCatalog rebuildCatalog(RebuildConfig rebuild) throws MalformedInputException {
        return catalog(rebuild.catalog().orElse("targets: []"));
    }

    @Produces
    @Singleton
    CodeBuildRunner codeBuildRunner(RebuildConfig rebuild, GatehouseConfig config, SdkHttpClient http) {
        CodeBuildClientBuilder client = CodeBuildClient.builder().httpClient(http);
        config.aws().region().map(Region::of).ifPresent(client::region);
        rebuild.codebuildEndpoint().map(URI::create).ifPresent(client::endpointOverride);
        return new CodeBuildRunner(client.build());
    }

    @Produces
    @Singleton
    Rebuilder rebuilder(CodeBuildRunner runner, RebuildCatalog catalog, ImageGraph graph, IdempotencyKeys keys, EventPublisher events,
                        Instance<BuiltImageListener> afterBuild, Clock clock, JsonLog log) {
        return new Rebuilder(runner, graph, keys, events, catalog.settings(), clock, message -> log.info(message, Map.of()),
                afterBuild.stream().toList());
    }

    @Produces
    @Singleton
    RebuildTrigger rebuildTrigger(RebuildCatalog catalog, Rebuilder rebuilder, ImageGraph graph, OciRepositories repositories,
                                  ResultStore results, @Named(AwsPortProducers.REPORTS) BlobStore reports, JsonLog log) {
        return new RebuildTrigger(graph, () -> catalog, rebuilder, new StoredResultsBaseFindings(repositories, results, reports),
                message -> log.info(message, Map.of()));
    }

    @Produces
    @Singleton
    CodeBuildStateChanges codeBuildStateChanges(CodeBuildRunner runner, RebuildCatalog catalog, Rebuilder rebuilder, JsonLog log) {
        return new CodeBuildStateChanges(runner, () -> catalog, rebuilder, message -> log.warn(message, Map.of()));
    }

    /** The inline catalog; a broken one fails the function's start with the variable's name and the place. */
    static RebuildCatalog catalog(String inline) throws MalformedInputException {
        return RebuildCatalog.parse(inline.getBytes(StandardCharsets.UTF_8), Path.of("/"), "GATEHOUSE_REBUILD_CATALOG");
    }
}
