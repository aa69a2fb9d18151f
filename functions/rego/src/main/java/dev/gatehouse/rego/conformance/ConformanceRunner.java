package dev.gatehouse.rego.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gatehouse.rego.ast.Module;
import dev.gatehouse.rego.ast.Term;
import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.eval.EvalOptions;
import dev.gatehouse.rego.eval.Policy;
import dev.gatehouse.rego.eval.RegoException;
import dev.gatehouse.rego.parser.RegoParseException;
import dev.gatehouse.rego.parser.RegoParser;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs OPA's YAML test-case files ({@code cases: [{note, query, modules, data, input,
 * input_term, want_result, want_error, want_error_code, strict_error, sort_bindings, want_defined}]}).
 */
public final class ConformanceRunner {

    /** Reason prefix of cases skipped because a builtin they call is not registered. */
    public static final String MISSING_BUILTIN = "builtin not registered: ";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final BuiltinRegistry builtins;
    private final EvalOptions options;

    private final boolean v0Compatible;

    public ConformanceRunner(BuiltinRegistry builtins, EvalOptions options) {
        this(builtins, options, false);
    }

    /** With {@code v0Compatible} the modules are parsed as Rego v0 (OPA's older test-case tree). */
    public ConformanceRunner(BuiltinRegistry builtins, EvalOptions options, boolean v0Compatible) {
        this.builtins = builtins;
        this.options = options;
        this.v0Compatible = v0Compatible;
    }

    /** YAML files under the given files or directories, sorted. */
    public static List<Path> collect(List<Path> roots) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().forEach(out::add);
                }
            } else {
                out.add(root);
            }
        }
        return out;
    }

    /** Runs every case of one file. A file that does not parse is one failed case. */
    public List<ConformanceCase> runFile(Path file) {
        List<ConformanceCase> out = new ArrayList<>();
        String name = file.toString();
        List<JsonNode> docs = new ArrayList<>();
        try {
            var parser = YAML.getFactory().createParser(file.toFile());
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                docs.add(it.next());
            }
        } catch (IOException | RuntimeException e) {
            out.add(new ConformanceCase(name, "", ConformanceCase.Status.FAIL, "YAML: " + e.getMessage()));
            return out;
        }
        for (JsonNode doc : docs) {
            if (doc == null || !doc.has("cases")) {
                continue;
            }
            for (JsonNode c : doc.get("cases")) {
                out.add(runCase(name, c));
            }
        }
        return out;
    }

    ConformanceCase runCase(String file, JsonNode c) {
        String note = c.path("note").asText("");
        try {
            String failure = check(c);
            if (failure != null && failure.startsWith(MISSING_BUILTIN)) {
                return new ConformanceCase(file, note, ConformanceCase.Status.SKIP, failure);
            }
            return new ConformanceCase(file, note, failure == null ? ConformanceCase.Status.PASS : ConformanceCase.Status.FAIL,
                    failure == null ? "" : failure);
        } catch (RuntimeException | StackOverflowError e) {
            return new ConformanceCase(file, note, ConformanceCase.Status.FAIL, "crash: " + e);
        }
    }

    private String check(JsonNode c) {
        boolean wantsError = c.has("want_error") || c.has("want_error_code");
        List<Module> modules = new ArrayList<>();
        String query = c.path("query").asText();
        List<Policy.Solution> solutions;
        try {
            int i = 0;
            for (JsonNode m : c.path("modules")) {
                modules.add(RegoParser.parseModule("test-" + (i++) + ".rego", m.asText(), v0Compatible));
            }
            Value data = c.has("data") && !c.get("data").isNull() ? ValueJson.fromNode(c.get("data")) : ObjectValue.EMPTY;
            Value input = null;
            if (c.has("input_term")) {
                Term t = RegoParser.parseTerm(c.get("input_term").asText());
                if (!(t instanceof Term.Const k)) {
                    return "input_term is not a constant";
                }
                input = k.value();
            } else if (c.has("input")) {
                input = ValueJson.fromNode(c.get("input"));
            }
            Policy policy = Policy.compile(modules, (ObjectValue) data, builtins);
            boolean strict = c.path("strict_error").asBoolean(false);
            solutions = policy.query(query, input, options.strict(strict), line -> { });
        } catch (RegoParseException e) {
            return wantsError ? matchError("rego_parse_error", e.getMessage(), c) : "unexpected error: " + e.getMessage();
        } catch (RegoException e) {
            String mismatch = wantsError ? matchError(e.code(), e.getMessage(), c) : "unexpected error: " + e.getMessage();
            if (mismatch != null && e.code().equals("rego_type_error") && e.detail().startsWith("undefined function ")) {
                return MISSING_BUILTIN + e.detail().substring("undefined function ".length());
            }
            return mismatch;
        }
        if (wantsError) {
            return "expected error " + c.path("want_error_code").asText("") + " " + c.path("want_error").asText("")
                    + " but got " + render(solutions);
        }
        if (c.has("want_defined")) {
            boolean defined = !solutions.isEmpty();
            return defined == c.get("want_defined").asBoolean() ? null : "want_defined " + c.get("want_defined") + " but got " + defined;
        }
        if (!c.has("want_result")) {
            return null;
        }
        boolean sort = c.path("sort_bindings").asBoolean(false);
        List<Value> got = new ArrayList<>();
        for (Policy.Solution s : solutions) {
            ObjectValue.Builder b = ObjectValue.builder();
            for (Map.Entry<String, Value> e : s.bindings().entrySet()) {
                Value v = ValueJson.fromNode(ValueJson.toNode(e.getValue()));
                b.put(e.getKey(), sort ? sorted(v) : v);
            }
            got.add(b.build());
        }
        List<Value> want = new ArrayList<>();
        for (JsonNode w : c.get("want_result")) {
            Value v = ValueJson.fromNode(w);
            if (sort && v instanceof ObjectValue o) {
                ObjectValue.Builder b = ObjectValue.builder();
                for (Map.Entry<Value, Value> e : o.entrySet()) {
                    b.put(e.getKey(), sorted(e.getValue()));
                }
                v = b.build();
            }
            want.add(v);
        }
        List<Value> g = new ArrayList<>(got);
        List<Value> wv = new ArrayList<>(want);
        Collections.sort(g);
        Collections.sort(wv);
        if (!dedupe(g).equals(dedupe(wv))) {
            return "want " + wv + " got " + g;
        }
        return null;
    }

    private static List<Value> dedupe(List<Value> sortedValues) {
        List<Value> out = new ArrayList<>();
        for (Value v : sortedValues) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private static Value sorted(Value v) {
        if (v instanceof ArrayValue a) {
            List<Value> l = new ArrayList<>(a.elements());
            Collections.sort(l);
            return ArrayValue.of(l);
        }
        return v;
    }

    private static String render(List<Policy.Solution> solutions) {
        List<String> out = new ArrayList<>();
        for (Policy.Solution s : solutions) {
            out.add(s.bindings().toString());
        }
        return out.isEmpty() ? "undefined" : String.join(", ", out);
    }

    private static String matchError(String code, String message, JsonNode c) {
        String wantCode = c.path("want_error_code").asText(null);
        String want = c.path("want_error").asText(null);
        if (wantCode != null && !wantCode.equals(code)) {
            return "want error code " + wantCode + " got " + message;
        }
        if (want != null && !message.contains(want)) {
            return "want error '" + want + "' got " + message;
        }
        return null;
    }

    /** Runs files or directories and prints failures and the final {@code N passed, M failed} line. */
    public static void main(String[] args) throws IOException {
        boolean v0 = false;
        int pass = 0;
        int fail = 0;
        int skip = 0;
        List<Path> roots = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--v0-compatible")) {
                v0 = true;
            } else {
                roots.add(Path.of(a));
            }
        }
        ConformanceRunner r = new ConformanceRunner(BuiltinRegistry.standard(), EvalOptions.DEFAULT, v0);
        for (Path f : collect(roots)) {
            for (ConformanceCase c : r.runFile(f)) {
                if (c.status() == ConformanceCase.Status.PASS) {
                    pass++;
                } else if (c.status() == ConformanceCase.Status.SKIP) {
                    skip++;
                    System.out.println("SKIP " + c.file() + " [" + c.note() + "]: " + c.reason());
                } else {
                    fail++;
                    System.out.println("FAIL " + c.file() + " [" + c.note() + "]: " + c.reason());
                }
            }
        }
        if (skip > 0) {
            System.out.println(skip + " skipped");
        }
        System.out.println(pass + " passed, " + (fail + skip) + " failed");
    }
}
