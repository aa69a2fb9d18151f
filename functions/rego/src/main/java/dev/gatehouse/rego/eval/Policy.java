package dev.gatehouse.rego.eval;

import dev.gatehouse.rego.ast.Expr;
import dev.gatehouse.rego.ast.Literal;
import dev.gatehouse.rego.ast.Term;
import dev.gatehouse.rego.ast.Module;
import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.parser.RegoParseException;
import dev.gatehouse.rego.parser.RegoParser;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Compiled modules plus base data: immutable and safe to share between threads. Queries are
 * compiled once and cached by their text.
 */
public final class Policy {

    private final Compiler compiler;
    private final RuleNode root;
    private final ObjectValue data;
    private final List<Module> modules;
    private final Map<String, Compiler.CompiledQuery> queries = new ConcurrentHashMap<>();

    private Policy(Compiler compiler, ObjectValue data, List<Module> modules) {
        this.compiler = compiler;
        this.root = compiler.root;
        this.data = data;
        this.modules = modules;
    }

    /** Compiles parsed modules; throws {@link RegoException} (rego_type_error, ...) on compile errors. */
    public static Policy compile(List<Module> modules, ObjectValue data, BuiltinRegistry builtins) {
        Compiler c = new Compiler(builtins);
        synchronized (c) {
            c.compile(modules);
        }
        return new Policy(c, data == null ? ObjectValue.EMPTY : data, List.copyOf(modules));
    }

    public List<Module> modules() {
        return modules;
    }

    public ObjectValue data() {
        return data;
    }

    /** One solution of a query: its named variables in order of first appearance. */
    public record Solution(Map<String, Value> bindings) {
    }

    /**
     * Evaluates a query such as {@code data.authz.allow = x} and returns every solution.
     *
     * @throws RegoParseException when the query does not parse
     * @throws RegoException      on compile or evaluation errors (conflicts, strict builtin errors, limits)
     */
    public List<Solution> query(String query, Value input, EvalOptions options, Consumer<String> printer) throws RegoParseException {
        Compiler.CompiledQuery q = queries.get(query);
        if (q == null) {
            List<Literal> body = RegoParser.parseQuery(query);
            synchronized (compiler) {
                q = compiler.compileQuery(body);
            }
            if (queries.size() < 1024) {
                queries.put(query, q);
            }
        }
        return run(q, input, options, printer);
    }

    private List<Solution> run(Compiler.CompiledQuery q, Value input, EvalOptions options, Consumer<String> printer) {
        return runRaw(q, input, options, printer, false);
    }

    private List<Solution> runRaw(Compiler.CompiledQuery q, Value input, EvalOptions options, Consumer<String> printer, boolean all) {
        Evaluation ev = new Evaluation(root, data, input, options, printer == null ? s -> { } : printer);
        Value[] frame = new Value[q.frameSize()];
        List<Solution> out = new ArrayList<>();
        try {
            ev.body(q.body(), 0, frame, () -> {
                Map<String, Value> b = new LinkedHashMap<>();
                for (int i = 0; i < q.varNames().size(); i++) {
                    Value v = frame[q.varSlots().get(i)];
                    if (v != null) {
                        b.put(q.varNames().get(i), v);
                    }
                }
                if (all) {
                    q.allSlots().forEach((name, slot) -> {
                        if (name.startsWith("$expr") && frame[slot] != null) {
                            b.put(name, frame[slot]);
                        }
                    });
                }
                out.add(new Solution(b));
                return false;
            });
        } catch (StackOverflowError e) {
            throw new RegoException("eval_cancel_error", null, "evaluation too deeply nested");
        }
        return out;
    }

    /** One solution with the value of each query expression, as {@code opa eval} reports it. */
    public record ExpressionSolution(List<Value> expressions, Map<String, Value> bindings) {
    }

    /**
     * Evaluates a query and reports each expression's value: a bare reference yields its value
     * (even {@code false}); other expressions yield {@code true}.
     */
    public List<ExpressionSolution> queryExpressions(String query, Value input, EvalOptions options, Consumer<String> printer)
            throws RegoParseException {
        List<Literal> parsed = RegoParser.parseQuery(query);
        List<Literal> rewritten = new ArrayList<>();
        for (int i = 0; i < parsed.size(); i++) {
            Literal l = parsed.get(i);
            if (!l.negated() && l.withs().isEmpty() && l.expr() instanceof Expr.TermExpr t
                    && (t.term() instanceof Term.Ref || t.term() instanceof Term.Var)) {
                rewritten.add(new Literal(new Expr.Unify(new Term.Var("$expr" + i, l.location()), t.term(), false), false, l.withs(), l.location()));
            } else {
                rewritten.add(l);
            }
        }
        Compiler.CompiledQuery q;
        synchronized (compiler) {
            q = compiler.compileQuery(rewritten);
        }
        List<ExpressionSolution> out = new ArrayList<>();
        for (Solution s : runRaw(q, input, options, printer, true)) {
            List<Value> exprs = new ArrayList<>();
            Map<String, Value> bindings = new LinkedHashMap<>();
            for (int i = 0; i < parsed.size(); i++) {
                Value v = s.bindings().get("$expr" + i);
                exprs.add(v == null ? dev.gatehouse.rego.value.BooleanValue.TRUE : v);
            }
            s.bindings().forEach((k, v) -> {
                if (!k.startsWith("$")) {
                    bindings.put(k, v);
                }
            });
            out.add(new ExpressionSolution(exprs, bindings));
        }
        return out;
    }

    /** Parses and compiles in one go (tests, tools). */
    public static Policy fromSources(Map<String, String> sources, ObjectValue data, boolean v0Compatible) throws RegoParseException {
        List<Module> modules = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            modules.add(RegoParser.parseModule(e.getKey(), e.getValue(), v0Compatible));
        }
        return compile(modules, data, BuiltinRegistry.standard());
    }
}
