package dev.gatehouse.lambda.rebuild;

import dev.gatehouse.aws.CodeBuildRunner;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.lambda.GatehouseConfig;
import dev.gatehouse.ports.EventPublisher;
import dev.gatehouse.ports.IdempotencyKeys;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.rebuild.ImageGraphRecorder;
import dev.gatehouse.rebuild.RebuildCatalog;
import dev.gatehouse.rebuild.RebuildTrigger;
import dev.gatehouse.rebuild.Rebuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.codebuild.CodeBuildClient;
import software.amazon.awssdk.services.codebuild.CodeBuildClientBuilder;

/**
 * The rebuild listeners of the push path: the image-graph recorder (on {@code GATEHOUSE_GRAPH_TABLE})
 * and the rebuild trigger with the CodeBuild runner and the catalog in
 * {@code GATEHOUSE_REBUILD_CATALOG}. Both are {@link VerificationListener} beans, which the push
 * handler collects. Without a catalog nothing is rebuilt, but the graph is still recorded.
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
    RebuildTrigger rebuildTrigger(RebuildConfig rebuild, GatehouseConfig config, ImageGraph graph, IdempotencyKeys keys,
                                  EventPublisher events, SdkHttpClient http, Clock clock, JsonLog log) throws MalformedInputException {
        RebuildCatalog catalog = catalog(rebuild.catalog().orElse("targets: []"));
        CodeBuildClientBuilder client = CodeBuildClient.builder().httpClient(http);
        config.aws().region().map(Region::of).ifPresent(client::region);
        rebuild.codebuildEndpoint().map(URI::create).ifPresent(client::endpointOverride);
        Rebuilder rebuilder = new Rebuilder(new CodeBuildRunner(client.build()), graph, keys, events, catalog.settings(), clock,
                message -> log.info(message, Map.of()), List.of());
        return new RebuildTrigger(graph, () -> catalog, rebuilder, message -> log.info(message, Map.of()));
    }

    /** The inline catalog; a broken one fails the function's start with the variable's name and the place. */
    static RebuildCatalog catalog(String inline) throws MalformedInputException {
        return RebuildCatalog.parse(inline.getBytes(StandardCharsets.UTF_8), Path.of("/"), "GATEHOUSE_REBUILD_CATALOG");
    }
}
