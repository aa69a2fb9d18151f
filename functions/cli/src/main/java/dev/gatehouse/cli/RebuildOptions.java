package dev.gatehouse.cli;

import dev.gatehouse.aws.DynamoDbImageGraph;
import dev.gatehouse.aws.GatehouseTable;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.ports.ImageGraph;
import dev.gatehouse.ports.local.JsonLinesImageGraph;
import dev.gatehouse.rebuild.RebuildCatalog;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Where the rebuild commands read the catalog and the image graph. Use as {@code @Mixin}. */
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

    RebuildCatalog catalog() throws MalformedInputException {
        return RebuildCatalog.read(catalog);
    }

    ImageGraph graph() throws MalformedInputException {
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
