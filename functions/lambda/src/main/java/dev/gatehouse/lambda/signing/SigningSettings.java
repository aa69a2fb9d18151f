package dev.gatehouse.lambda.signing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The Gatehouse signing key and its verification summaries ({@code gatehouse.signing.*}, or the
 * matching {@code GATEHOUSE_SIGNING_*} environment variables; docs/vsa.md).
 */
@ConfigMapping(prefix = "gatehouse.signing")
public interface SigningSettings {

    /** The KMS key (ARN, id or alias) that signs; absent: nothing is signed and admission has no VSA fast path. */
    Optional<String> keyId();

    /** The verifier id Gatehouse VSAs state, and the only one the fast path accepts. */
    @WithDefault("https://gatehouse.dev/verifier/v1")
    String verifierId();

    /** How old a VSA may be and still decide admission. */
    @WithDefault("PT24H")
    Duration vsaMaxAge();

    /** A KMS endpoint other than the region's (a VPC endpoint). */
    Optional<URI> kmsEndpoint();
}
