package dev.gatehouse.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.rego.ast.InputReads;
import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.bundle.Bundle;
import dev.gatehouse.rego.bundle.BundleException;
import dev.gatehouse.rego.bundle.BundleFiles;
import dev.gatehouse.rego.bundle.BundleLoader;
import dev.gatehouse.rego.bundle.BundleVerification;
import dev.gatehouse.rego.eval.EvalOptions;
import dev.gatehouse.rego.eval.Policy;
import dev.gatehouse.rego.eval.RegoException;
import dev.gatehouse.rego.parser.RegoParseException;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A compiled OPA bundle and the query that yields a {@link Decision}. Compiled once, evaluated
 * many times (thread-safe): the admission path never parses Rego.
 *
 * <p>The decision query must produce an object {@code {allow, deny, warn}} where deny and warn are
 * arrays or sets of violations: objects with {@code policy}, {@code severity}, {@code message},
 * {@code evidence}, or plain strings (taken as messages). Either {@code allow} or {@code deny} must
 * be present: an object with neither decides nothing, and fails closed like an undefined decision.
 */
public final class PolicyBundle {

    public static final String DEFAULT_QUERY = "data.gatehouse.main.decision";
    /** Where the build puts policies/hardened inside the jar. */
    static final String EMBEDDED_HARDENED = "gatehouse/policies/hardened/";
    private static final String RESULT_VAR = "gatehouse_decision";
    static final String EMBEDDED_INDEX = EMBEDDED_HARDENED + "files.txt";

    private final Bundle bundle;
    private final Policy policy;
    private final String query;
    private final String digest;
    private final EvalOptions options;
    private final boolean readsCallerContext;

    /**
     * The policy input fields that say who asks (docs/policy-input.md): they differ between the
     * push that verified an image and the admission request that later asks about it.
     */
    static final List<List<String>> CALLER_CONTEXT = List.of(List.of("context", "namespace"), List.of("context", "trigger"));

    private PolicyBundle(Bundle bundle, String query, String digest, EvalOptions options) {
        this.bundle = bundle;
        this.policy = bundle.compile(BuiltinRegistry.standard());
        this.query = query;
        this.digest = digest;
        this.options = options;
        this.readsCallerContext = CALLER_CONTEXT.stream().anyMatch(path -> InputReads.mayRead(bundle.modules(), path));
    }

    /** Loads a bundle directory or .tar.gz, checking its signature as {@code verification} says. */
    public static PolicyBundle load(Path source, BundleVerification verification, String query) throws PolicyException {
        try {
            Map<String, byte[]> files = BundleFiles.read(source);
            return fromFiles(source.toString(), files, verification, query);
        } catch (BundleException e) {
            throw new PolicyException(e.getMessage(), e);
        }
    }

    /** The default hardened bundle shipped inside Gatehouse. */
    public static PolicyBundle hardened() throws PolicyException {
        ClassLoader loader = PolicyBundle.class.getClassLoader();
        Map<String, byte[]> files = new TreeMap<>();
        try (InputStream index = loader.getResourceAsStream(EMBEDDED_INDEX)) {
            if (index == null) {
                throw new PolicyException("the embedded hardened bundle is missing from this build");
            }
            for (String name : new String(index.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (name.isBlank()) {
                    continue;
                }
                try (InputStream in = loader.getResourceAsStream(EMBEDDED_HARDENED + name.strip())) {
                    if (in == null) {
                        throw new PolicyException("the embedded hardened bundle lacks " + name);
                    }
                    files.put(name.strip(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new PolicyException("cannot read the embedded hardened bundle: " + e.getMessage(), e);
        }
        return fromFiles("embedded:hardened", files, BundleVerification.NONE, DEFAULT_QUERY);
    }

    public static PolicyBundle fromFiles(String label, Map<String, byte[]> files, BundleVerification verification, String query)
            throws PolicyException {
        try {
            Bundle bundle = BundleLoader.fromFiles(label, files, verification, false);
            return new PolicyBundle(bundle, query == null ? DEFAULT_QUERY : query, digestOf(files), EvalOptions.DEFAULT);
        } catch (BundleException e) {
            throw new PolicyException(e.getMessage(), e);
        } catch (RegoException e) {
            throw new PolicyException("bundle " + label + ": " + e.getMessage(), e);
        }
    }

    /**
     * The bundle with extra data merged over its own (operator overrides of settings). Its revision
     * names the overrides too ({@code REVISION+data-HEX}): verdicts are cached and summarised by
     * revision, and the same bundle with other settings may decide otherwise.
     */
    public PolicyBundle withData(JsonNode overrides) throws PolicyException {
        Value extra = ValueJson.fromNode(overrides);
        if (!(extra instanceof ObjectValue o)) {
            throw new PolicyException("policy data overrides must be a JSON object");
        }
        String data = dev.gatehouse.oci.Digest.sha256(ValueJson.write(o).getBytes(StandardCharsets.UTF_8)).hex().substring(0, 12);
        Bundle merged = new Bundle(bundle.source(), bundle.revision().isEmpty() ? "" : bundle.revision() + "+data-" + data,
                bundle.roots(), bundle.modules(), deepMerge(bundle.data(), o), bundle.signed());
        return new PolicyBundle(merged, query, digest + "+" + data, options);
    }

    /** The manifest revision, or the content digest when the bundle names none. */
    public String revision() {
        return bundle.revision().isEmpty() ? digest : bundle.revision();
    }

    /** sha256 over the bundle's files: changes whenever any policy or data changes. */
    public String digest() {
        return digest;
    }

    public String source() {
        return bundle.source();
    }

    /**
     * The bundle's data document (with overrides merged) as JSON: the settings and reference data
     * (KEV list, end-of-life dates) that code applying the same rules outside the policy reads.
     */
    public JsonNode data() {
        return ValueJson.toNode(bundle.data());
    }

    public boolean signed() {
        return bundle.signed();
    }

    /**
     * Whether the decision may depend on who asks: some rule may read {@code input.context.namespace}
     * or {@code input.context.trigger} (decided from the source, erring on "may", {@link InputReads}).
     * When false, a verdict reached at push time holds for every admission namespace; when true,
     * only a verdict reached for the same namespace and trigger does.
     */
    public boolean readsCallerContext() {
        return readsCallerContext;
    }

    /** Evaluates the decision query over {@code input}; {@code print} output goes to {@code log}. */
    public Decision evaluate(JsonNode input, Consumer<String> log) throws PolicyException {
        List<Policy.Solution> solutions;
        try {
            solutions = policy.query(RESULT_VAR + " = " + query, ValueJson.fromNode(input), options, log);
        } catch (RegoParseException e) {
            throw new PolicyException("decision query '" + query + "' does not parse: " + e.getMessage(), e);
        } catch (RegoException e) {
            throw new PolicyException("policy evaluation failed: " + e.getMessage(), e);
        }
        if (solutions.isEmpty()) {
            throw new PolicyException("bundle " + source() + " gives no value for " + query + " (fail closed)");
        }
        Value result = solutions.get(0).bindings().get(RESULT_VAR);
        if (!(result instanceof ObjectValue decision)) {
            throw new PolicyException(query + " must be an object {allow, deny, warn}, got " + (result == null ? "nothing" : ValueJson.write(result)));
        }
        Value allow = decision.get("allow");
        if (allow == null && decision.get("deny") == null) {
            throw new PolicyException(query + " has neither allow nor deny: nothing was decided (fail closed)");
        }
        List<Violation> denials = violations(decision.get("deny"), query + ".deny");
        List<Violation> warnings = violations(decision.get("warn"), query + ".warn");
        if (denials.isEmpty() && allow != null && !"true".equals(ValueJson.write(allow))) {
            denials = List.of(new Violation("policy", "high", query + ".allow is not true", ""));
        }
        return Decision.of(denials, warnings, revision());
    }

    /** A missing list is empty; anything other than an array or a set is a policy bug, not "no violations". */
    private static List<Violation> violations(Value value, String where) throws PolicyException {
        List<Value> items = new ArrayList<>();
        if (value instanceof ArrayValue a) {
            items.addAll(a.elements());
        } else if (value instanceof SetValue s) {
            items.addAll(s.sorted());
        } else if (value != null) {
            throw new PolicyException(where + " must be an array or a set of violations, got " + ValueJson.write(value)
                    + " (fail closed)");
        }
        List<Violation> out = new ArrayList<>(items.size());
        for (Value item : items) {
            if (item instanceof StringValue s) {
                out.add(new Violation(null, null, s.value(), null));
            } else if (item instanceof ObjectValue o) {
                out.add(new Violation(text(o, "policy"), text(o, "severity"),
                        o.get("message") == null ? text(o, "msg") : text(o, "message"), text(o, "evidence")));
            } else {
                out.add(new Violation(null, null, ValueJson.write(item), null));
            }
        }
        return out;
    }

    private static String text(ObjectValue o, String key) {
        Value v = o.get(key);
        return v == null ? null : v instanceof StringValue s ? s.value() : ValueJson.write(v);
    }

    private static ObjectValue deepMerge(ObjectValue base, ObjectValue over) {
        ObjectValue result = base;
        for (Map.Entry<Value, Value> e : over.entrySet()) {
            Value existing = result.get(e.getKey());
            Value merged = existing instanceof ObjectValue eo && e.getValue() instanceof ObjectValue vo ? deepMerge(eo, vo) : e.getValue();
            result = result.with(e.getKey(), merged);
        }
        return result;
    }

    private static String digestOf(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> e : new TreeMap<>(files).entrySet()) {
                sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(MessageDigest.getInstance("SHA-256").digest(e.getValue()));
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
