package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.InputFiles;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.io.UntrustedYaml;
import dev.gatehouse.rego.ast.Module;
import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.bundle.Bundle;
import dev.gatehouse.rego.bundle.BundleException;
import dev.gatehouse.rego.bundle.BundleLoader;
import dev.gatehouse.rego.bundle.BundleVerification;
import dev.gatehouse.rego.eval.EvalOptions;
import dev.gatehouse.rego.eval.Policy;
import dev.gatehouse.rego.parser.RegoParser;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse policy eval}: like {@code opa eval --format json}. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a Rego query against a bundle, data and input; prints JSON like 'opa eval --format json'.")
final class PolicyEvalCommand implements Callable<Integer> {

    @Option(names = "--bundle", description = "Bundle directory or .tar.gz (repeatable).")
    List<Path> bundles = new ArrayList<>();

    @Option(names = {"-d", "--data"}, description = "Extra .rego, .json or .yaml file (repeatable).")
    List<Path> data = new ArrayList<>();

    @Option(names = {"-i", "--input"}, description = "Input document (JSON or YAML).")
    Path input;

    @Option(names = "--v0-compatible", description = "Parse policies with Rego v0 syntax (e.g. Gatekeeper templates).")
    boolean v0;

    @Option(names = "--verification-key", description = "PEM public key that bundle signatures must verify against.")
    Path verificationKey;

    @Option(names = "--verification-key-id", description = "Expected key id of the bundle signature.")
    String keyId;

    @Option(names = "--require-signature", description = "Reject unsigned bundles.")
    boolean requireSignature;

    @Option(names = "--strict-builtin-errors", description = "Builtin errors abort evaluation.")
    boolean strict;

    @Option(names = "--timeout-ms", description = "Evaluation time budget (default ${DEFAULT-VALUE}).", defaultValue = "10000")
    long timeoutMs;

    @Option(names = "--fail", description = "Exit 1 when the result is undefined.")
    boolean fail;

    @Option(names = "--fail-defined", description = "Exit 1 when the result is defined.")
    boolean failDefined;

    @Parameters(index = "0", paramLabel = "QUERY")
    String query;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Policy policy = PolicyLoading.load(bundles, data, v0, PolicyLoading.verification(verificationKey, keyId, requireSignature));
        Value in = input == null ? null : PolicyLoading.document(input);
        EvalOptions options = new EvalOptions(EvalOptions.DEFAULT.maxSteps(), timeoutMs, EvalOptions.DEFAULT.maxDepth(), strict);
        List<Policy.ExpressionSolution> solutions = policy.queryExpressions(query, in, options,
                line -> spec.commandLine().getErr().println(line));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode out = json.createObjectNode();
        if (!solutions.isEmpty()) {
            ArrayNode result = out.putArray("result");
            for (Policy.ExpressionSolution s : solutions) {
                ObjectNode r = result.addObject();
                ArrayNode exprs = r.putArray("expressions");
                for (Value v : s.expressions()) {
                    ObjectNode e = exprs.addObject();
                    e.set("value", ValueJson.toNode(v));
                    e.put("text", query);
                    e.putObject("location").put("row", 1).put("col", 1);
                }
                if (!s.bindings().isEmpty()) {
                    ObjectNode b = r.putObject("bindings");
                    s.bindings().forEach((k, v) -> b.set(k, ValueJson.toNode(v)));
                }
            }
        }
        spec.commandLine().getOut().println(json.writeValueAsString(out));
        if (fail && solutions.isEmpty() || failDefined && !solutions.isEmpty()) {
            return 1;
        }
        return 0;
    }

    /** Shared loading of bundles, extra files and documents for the policy commands. */
    static final class PolicyLoading {

        private PolicyLoading() {
        }

        static BundleVerification verification(Path key, String keyId, boolean required) throws Exception {
            if (key == null) {
                return required ? new BundleVerification(null, keyId, true) : BundleVerification.NONE;
            }
            return new BundleVerification(BundleVerification.parsePublicKeyPem(Files.readString(key)), keyId, required);
        }

        static Policy load(List<Path> bundles, List<Path> extra, boolean v0, BundleVerification verification) throws Exception {
            List<Module> modules = new ArrayList<>();
            ObjectValue data = ObjectValue.EMPTY;
            for (Path b : bundles) {
                Bundle bundle = BundleLoader.load(b, verification, v0);
                modules.addAll(bundle.modules());
                data = merge(data, bundle.data(), b.toString());
            }
            for (Path f : extra) {
                String name = f.toString();
                if (Files.isDirectory(f) || name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
                    Bundle bundle = BundleLoader.load(f, BundleVerification.NONE, v0);
                    modules.addAll(bundle.modules());
                    data = merge(data, bundle.data(), name);
                } else if (name.endsWith(".rego")) {
                    modules.add(RegoParser.parseModule(name, Files.readString(f, StandardCharsets.UTF_8), v0));
                } else {
                    Value doc = document(f);
                    if (!(doc instanceof ObjectValue o)) {
                        throw new BundleException("data file " + f + " must hold an object");
                    }
                    data = merge(data, o, name);
                }
            }
            return Policy.compile(modules, data, BuiltinRegistry.standard());
        }

        private static ObjectValue merge(ObjectValue a, ObjectValue b, String label) throws BundleException {
            ObjectValue out = a;
            for (Map.Entry<Value, Value> e : b.entrySet()) {
                Value prev = out.get(e.getKey());
                if (prev instanceof ObjectValue po && e.getValue() instanceof ObjectValue eo) {
                    out = out.with(e.getKey(), merge(po, eo, label));
                } else if (prev != null && !prev.equals(e.getValue())) {
                    throw new BundleException(label + ": data at " + e.getKey() + " conflicts with data loaded before");
                } else {
                    out = out.with(e.getKey(), e.getValue());
                }
            }
            return out;
        }

        static Value document(Path f) throws Exception {
            byte[] bytes = InputFiles.read(f, UntrustedJson.MAX_ALLOWED_BYTES);
            String name = f.getFileName().toString();
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                return ValueJson.fromNode(UntrustedYaml.parse(bytes, "YAML " + f, UntrustedJson.MAX_ALLOWED_BYTES));
            }
            try {
                return ValueJson.parse(new String(bytes, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(f + ": " + e.getMessage());
            }
        }
    }
}
