package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.local.InMemoryIdempotencyKeys;
import dev.gatehouse.ports.local.RecordingEventPublisher;
import dev.gatehouse.rebuild.BuildahRunner;
import dev.gatehouse.rebuild.BuiltImageListener;
import dev.gatehouse.rebuild.HardeningException;
import dev.gatehouse.rebuild.RebuildCatalog;
import dev.gatehouse.rebuild.RebuildHardener;
import dev.gatehouse.rebuild.RebuildPlan;
import dev.gatehouse.rebuild.RebuildPlanJson;
import dev.gatehouse.rebuild.Rebuilder;
import dev.gatehouse.rebuild.StepOutcome;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatehouse rebuild run BASE_REF}: rebuilds, with buildah, what a new digest of a base tag asks for. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Plan as 'rebuild plan' does, then build every step in order with buildah (chroot isolation, vfs storage), each on "
                    + "the base digest its base step pushed, retrying a failed build up to the catalog's maxAttempts; pushed "
                    + "rebuilds are recorded in the image graph. With --rebuild-signing-key each rebuild is hardened: an SBOM by cdxgen, "
                    + "SLSA provenance naming --rebuild-builder-id and the base digest, both signed attestations, and a cosign signature. "
                    + "The registry's push events then verify them.",
            "Exit codes: 0 every step built (and hardened), 1 a step failed, was not run or not hardened, or a cycle was found, 2 error."
        })
final class RebuildRunCommand implements Callable<Integer> {

    enum Format { text, json }

    @Mixin
    RebuildOptions rebuild;

    @Mixin
    RegistryOptions registry;

    @Option(names = "--buildah", paramLabel = "PATH", defaultValue = "buildah", description = "The buildah binary (default ${DEFAULT-VALUE}).")
    String buildah;

    @Option(names = "--storage", paramLabel = "DIR",
            description = "buildah's storage root (images and layers; default a new temporary directory).")
    Path storage;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE}).")
    Format format;

    @Mixin
    RebuildHardeningOptions hardening;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        RebuildOptions.Planned planned = rebuild.plan(registry);
        RebuildCatalog catalog = planned.catalog();
        RebuildPlan plan = planned.plan();
        PrintWriter err = spec.commandLine().getErr();
        Path root = storage != null ? storage : Files.createTempDirectory("gatehouse-buildah-");
        Clock clock = Clock.systemUTC();
        // buildah's --tls-verify covers every registry of a build, so any plain-HTTP host turns it off for the run.
        BuildahRunner runner = new BuildahRunner(buildah, root, Files.createTempDirectory("gatehouse-rebuild-"),
                !registry.plainHttpUnsafe.isEmpty(), registry.dockerConfig, catalog.settings().buildTimeout(), clock);
        Consumer<String> log = line -> {
            err.println(line);
            err.flush();
        };
        List<String> notHardened = new ArrayList<>();
        List<BuiltImageListener> afterBuild = new ArrayList<>();
        Optional<RebuildHardener> hardener = hardening.hardener(registry.repositories(), () -> catalog, log);
        if (hardener.isPresent()) {
            afterBuild.add((request, result) -> {
                try {
                    hardener.get().onBuilt(request, result);
                } catch (HardeningException e) {
                    notHardened.add(e.getMessage());
                    throw e;
                }
            });
        }
        Rebuilder rebuilder = new Rebuilder(runner, planned.graph(), new InMemoryIdempotencyKeys(clock), new RecordingEventPublisher(10_000),
                catalog.settings(), clock, log, afterBuild);
        List<StepOutcome> outcomes = rebuilder.runAll(plan, catalog);
        PrintWriter out = spec.commandLine().getOut();
        if (format == Format.json) {
            ObjectNode json = RebuildPlanJson.json(plan);
            ArrayNode results = json.putArray("outcomes");
            outcomes.forEach(o -> results.add(outcomeJson(o)));
            notHardened.forEach(json.putArray("not_hardened")::add);
            out.println(UntrustedJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
        } else {
            out.print(RebuildPlanJson.text(plan));
            outcomes.forEach(o -> out.println(outcomeText(o)));
            notHardened.forEach(reason -> out.println("NOT HARDENED: " + reason));
        }
        out.flush();
        boolean allBuilt = outcomes.stream().allMatch(o -> o instanceof StepOutcome.Built);
        return allBuilt && notHardened.isEmpty() && plan.cycles().isEmpty() ? 0 : 1;
    }

    private static String outcomeText(StepOutcome o) {
        String step = o.step().order() + ". " + o.step().repository() + ":" + o.step().tag() + ": ";
        if (o instanceof StepOutcome.Built b) {
            return step + "built " + b.result().pushedDigest() + " on " + b.result().base().pinned() + " (attempt " + b.attempts() + ")";
        }
        if (o instanceof StepOutcome.Failed f) {
            return step + "FAILED: " + String.join("; ", f.reasons());
        }
        if (o instanceof StepOutcome.Stopped st) {
            return step + "STOPPED (not retried): " + st.reason();
        }
        if (o instanceof StepOutcome.NotRun n) {
            return step + "not run: " + n.reason();
        }
        return step + o.getClass().getSimpleName();
    }

    private static ObjectNode outcomeJson(StepOutcome o) {
        ObjectNode n = UntrustedJson.mapper().createObjectNode();
        n.put("order", o.step().order());
        n.put("repository", o.step().repository());
        n.put("tag", o.step().tag());
        if (o instanceof StepOutcome.Built b) {
            n.put("result", "built");
            n.put("digest", b.result().pushedDigest().toString());
            n.put("base_digest", b.result().base().digest().toString());
            n.put("attempts", b.attempts());
        } else if (o instanceof StepOutcome.Failed f) {
            n.put("result", "failed");
            f.reasons().forEach(n.putArray("reasons")::add);
        } else if (o instanceof StepOutcome.Stopped st) {
            n.put("result", "stopped");
            n.put("build_id", st.buildId());
            n.put("reason", st.reason());
            st.reasons().forEach(n.putArray("reasons")::add);
        } else if (o instanceof StepOutcome.NotRun r) {
            n.put("result", "not-run");
            n.put("reason", r.reason());
        } else {
            n.put("result", o.getClass().getSimpleName());
        }
        return n;
    }
}
