package dev.gatehouse.cli.serve;

import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.rebuild.ImageGraphRecorder;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.vsa.VsaEmitter;
import dev.gatehouse.vsa.VsaPublisher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The after-verification listeners of {@code gatehouse serve}: the image graph is recorded from
 * every verified image (what rebuild planning and compliance scans enumerate), and with
 * {@code --vsa-signing-key} a verification summary attestation is signed and attached to each
 * verified image, its own pushes claimed so they do not verify the image again.
 */
public final class ServeListeners implements ServeModule {

    @Option(names = "--vsa-signing-key", paramLabel = "PEM",
            description = "PKCS#8 private key that signs a verification summary attestation (VSA) for every verified image, attached to it.")
    Path vsaSigningKey;

    @Option(names = "--vsa-verifier-id", paramLabel = "ID", defaultValue = "https://gatehouse.dev/verifier/v1",
            description = "Verifier id the VSAs state (default ${DEFAULT-VALUE}).")
    String vsaVerifierId;

    @Override
    public List<VerificationListener> listeners(ServeContext context) throws Exception {
        List<VerificationListener> listeners = new ArrayList<>();
        listeners.add(new ImageGraphRecorder(context.graph(), line -> context.log().info("image graph", Map.of("detail", line))));
        if (vsaSigningKey != null) {
            String bundleDigest = context.pipeline().policy().digest();
            String bundleSource = context.pipeline().policy().source();
            listeners.add(new VsaEmitter(context.repositories(), new VsaPublisher(LocalKeySigner.fromPem(vsaSigningKey, null)),
                    new VsaEmitter.Settings(vsaVerifierId, Map.of("gatehouse", version()), context.trustConfiguration(),
                            revision -> VsaEmitter.policyResource(bundleSource, bundleDigest)),
                    context.idempotency()));
        }
        return listeners;
    }

    private static String version() {
        String version = ServeListeners.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
