package dev.gatehouse.cli.serve;

import dev.gatehouse.handlers.SharedSecret;
import dev.gatehouse.handlers.admission.AdmissionConfig;
import dev.gatehouse.handlers.admission.AdmissionHandler;
import dev.gatehouse.handlers.admission.AdmissionOutcome;
import dev.gatehouse.handlers.admission.AdmissionRequest;
import dev.gatehouse.handlers.admission.FastPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code POST /validate} and {@code POST /mutate}: the Kubernetes admission webhooks
 * (docs/kubernetes-webhooks.md) over the core {@link AdmissionHandler}, with the server's pipeline,
 * verdict cache and trust configuration, guarded by the admission secret when one is configured.
 * A module with its own flags, mixed into {@code serve}.
 */
public final class AdmissionRoutes implements ServeModule {

    @Option(names = "--admission-config", paramLabel = "FILE",
            description = "Admission configuration (modes per namespace, exemptions, deadline, cache; docs/kubernetes-webhooks.md); "
                    + "default: enforce everywhere, nothing exempt, 8 s deadline, fail closed.")
    Path configFile;

    @Option(names = "--admission-secret-file", paramLabel = "FILE",
            description = "File holding the shared secret the API server must send to /validate and /mutate, as "
                    + "'Authorization: Bearer SECRET' or as the URL's last path segment (/validate/SECRET); default: open routes.")
    Path secretFile;

    @Override
    public List<Route> routes(ServeContext context) throws Exception {
        AdmissionConfig config = configFile == null ? AdmissionConfig.defaults()
                : AdmissionConfig.parse(Files.readAllBytes(configFile), configFile.toString());
        // Chart images share the pods' verdict cache.
        AdmissionHandler handler = new AdmissionHandler(config,
                context.pipeline().withVerdictCache(context.verdicts(), context.trustConfiguration(), config.cacheTtl()),
                context.repositories(), context.verdicts(), FastPath.NONE, context.trustConfiguration(), context.clock());
        SharedSecret secret = secretFile == null ? null : SecretFile.read("--admission-secret-file", secretFile);
        return List.of(
                Route.post("/validate", AdmissionRequest.MAX_BYTES, request -> answer(handler.validate(request.body()))).authenticatedBy(secret),
                Route.post("/mutate", AdmissionRequest.MAX_BYTES, request -> answer(handler.mutate(request.body()))).authenticatedBy(secret));
    }

    private static ServeResponse answer(AdmissionOutcome outcome) {
        return ServeResponse.json(200, outcome.response().toJson())
                .withLogField("uid", outcome.response().uid())
                .withLogField("allowed", outcome.response().allowed())
                .withLogField("mode", outcome.mode().configName())
                .withLogField("images", outcome.images().size())
                .withLogField("patched", outcome.response().imagePatches().size())
                .withLogField("admission_millis", outcome.millis());
    }
}
