package dev.gatehouse.cli;

import dev.gatehouse.aws.DynamoDbImageGraph;
import dev.gatehouse.aws.GatehouseTable;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.local.JsonLinesImageGraph;
import dev.gatehouse.rebuild.RebuildCatalog;
import dev.gatehouse.rebuild.RebuildPlan;
import dev.gatehouse.rebuild.RebuildPlanner;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The base whose new digest the rebuild commands plan for, and where they read the catalog and the image graph. Use as {@code @Mixin}. */
public final class RebuildOptions {

    @Option(names = "--catalog", paramLabel = "FILE", required = true,
            description = "Rebuild catalog (YAML or JSON): the images to rebuild, their bases and build definitions.")
    Path catalog;

    @ArgGroup(exclusive = true, multiplicity = "1")
    GraphSource graph;

    static final class GraphSource {
        @Option(names = "--graph", paramLabel = "FILE", description = "Image graph in a local JSON-lines file (created when missing).")
        Path file;

        @Option(names = "--graph-table", paramLabel = "TABLE",
                description = "Image graph in this DynamoDB table (the deployment's GATEHOUSE_GRAPH_TABLE; default AWS credentials and region).")
        String table;
    }

    @Option(names = "--dynamodb-endpoint", paramLabel = "URL", description = "DynamoDB endpoint for --graph-table (e.g. DynamoDB Local).")
    URI dynamoDbEndpoint;

    @Parameters(paramLabel = "BASE_REF",
            description = "The base tag (registry/repo:tag); with @sha256:... the new digest is taken as given, otherwise the tag is resolved now.")
    String baseRef;

    /** What a new digest of BASE_REF asks for, with the catalog and the graph the plan was made from. */
    record Planned(RebuildCatalog catalog, ImageGraph graph, RebuildPlan plan) {
    }

    Planned plan(RegistryOptions registry) throws MalformedInputException, RegistryException {
        ImageReference base = ImageReference.parse(baseRef);
        if (base.isLayout() || base.tag() == null) {
            throw new IllegalArgumentException("BASE_REF must name a registry tag (registry/repo:tag), got '" + baseRef + "'");
        }
        RebuildCatalog rebuildCatalog = RebuildCatalog.read(catalog);
        ImageGraph imageGraph = graph();
        Digest digest = base.digest() != null ? base.digest() : registry.repositories().open(base).resolve(base.tag()).digest();
        return new Planned(rebuildCatalog, imageGraph,
                new RebuildPlanner(imageGraph, rebuildCatalog).forNewBase(base.repositoryName(), base.tag(), digest));
    }

    private ImageGraph graph() throws MalformedInputException {
        if (graph.file != null) {
            return JsonLinesImageGraph.open(graph.file);
        }
        var builder = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder());
        if (dynamoDbEndpoint != null) {
            builder.endpointOverride(dynamoDbEndpoint);
        }
        return new DynamoDbImageGraph(new GatehouseTable(builder.build(), graph.table));
    }
}
