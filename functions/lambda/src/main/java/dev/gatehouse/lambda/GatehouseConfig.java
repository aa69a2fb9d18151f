package dev.gatehouse.lambda;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/**
 * The configuration every function reads, bound from the environment variables the deployment
 * declares ({@code GATEHOUSE_RESULTS_TABLE} is {@code gatehouse.results-table}, and so on; see
 * docs/deploy.md). Each function is given only the variables it needs, so names are optional here
 * and the producer that needs one fails with the variable's name when it is missing.
 */
@ConfigMapping(prefix = "gatehouse")
public interface GatehouseConfig {

    Optional<String> resultsTable();

    Optional<String> cacheTable();

    Optional<String> idempotencyTable();

    Optional<String> graphTable();

    /** Policy bundles ({@code bundles/<revision>.tar.gz}) and the trust configuration. */
    Optional<String> bundleBucket();

    Optional<String> reportBucket();

    Optional<String> scanQueueUrl();

    Optional<String> eventBus();

    /** The policy bundle revision every verdict is reached (and cached, and deduplicated) under. */
    Optional<String> policyRevision();

    /** Secrets Manager secret holding the shared secret webhook callers send as {@code Authorization: Bearer}. */
    Optional<String> webhookSecretArn();

    /**
     * Key of the trust configuration in the bundle bucket; the files it names (public keys, trusted
     * roots) are read from the same folder.
     */
    @WithDefault("trust/trust.yaml")
    String trustConfig();

    /** Key of a SLSA trusted-builders list in the bundle bucket replacing the built-in one. */
    Optional<String> trustedBuilders();

    /**
     * PEM public key (RSA or EC) policy bundles must be signed with ({@code .signatures.json}); when
     * set, unsigned bundles are refused.
     */
    Optional<String> bundlePublicKey();

    Registry registry();

    Aws aws();

    /** How functions reach registries. */
    interface Registry {

        /**
         * Registry hosts ({@code host[:port]}) whose pushes this deployment verifies; pushes from others
         * are ignored. Empty: every registry the events name.
         */
        Optional<List<String>> hosts();

        /** Hosts spoken to over plain HTTP, without TLS (local test registries only). */
        Optional<List<String>> plainHttpUnsafe();

        @WithDefault("30")
        int timeoutSeconds();
    }

    /** Endpoint overrides for local stand-ins of AWS services (tests); unset in AWS. */
    interface Aws {

        Optional<String> region();

        Optional<String> dynamodbEndpoint();

        Optional<String> s3Endpoint();

        Optional<String> eventbridgeEndpoint();

        Optional<String> sqsEndpoint();

        Optional<String> secretsmanagerEndpoint();
    }
}
