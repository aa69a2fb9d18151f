package dev.gatehouse.rego.eval;

import dev.gatehouse.rego.ast.CallTarget;
import dev.gatehouse.rego.ast.Expr;
import dev.gatehouse.rego.ast.Literal;
import dev.gatehouse.rego.ast.Location;
import dev.gatehouse.rego.ast.Term;
import dev.gatehouse.rego.builtins.Builtin;
import dev.gatehouse.rego.builtins.BuiltinContext;
import dev.gatehouse.rego.builtins.BuiltinException;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One query run: backtracking evaluation in continuation-passing style. Every binding is undone
 * by the code that made it once its continuation returns, so no trail is needed. Continuations
 * return true to stop the enumeration early.
 */
final class Evaluation implements BuiltinContext {

    interface K {
        boolean run();
    }

    interface VK {
        boolean accept(Value v);
    }

    /** What a query may see: input, base data, overrides from {@code with}, and memoised rule values. */
    private static final class Context {
        final Value input;
        final ObjectValue data;
        final Set<List<Value>> overridden;
        final Map<String, Object> mocks;
        final Map<Object, Object> memo = new HashMap<>();

        Context(Value input, ObjectValue data, Set<List<Value>> overridden, Map<String, Object> mocks) {
            this.input = input;
            this.data = data;
            this.overridden = overridden;
            this.mocks = mocks;
        }
    }

    private static final Object UNDEFINED = new Object();

    private final RuleNode root;
    private final EvalOptions options;
    private final Consumer<String> printer;
    private final long now = System.currentTimeMillis() * 1_000_000L;
    private final long deadline;
    private final Map<Object, Object> queryCache = new HashMap<>();
    private final Set<Object> inProgress = new HashSet<>();
    private Context ctx;
    private long steps;
    private int depth;

    Evaluation(RuleNode root, ObjectValue data, Value input, EvalOptions options, Consumer<String> printer) {
        this.root = root;
        this.options = options;
        this.printer = printer;
        this.deadline = options.timeoutMillis() > 0 ? System.nanoTime() + options.timeoutMillis() * 1_000_000L : Long.MAX_VALUE;
        this.ctx = new Context(input, data, Set.of(), Map.of());
    }

    // ------------------------------------------------------------ BuiltinContext

    @Override
    public long nowNanos() {
        return now;
    }

    @Override
    public void print(String line) {
        printer.accept(line);
    }

    @Override
    public void charge(long n) throws BuiltinException {
        steps += n;
        if (steps > options.maxSteps()) {
            throw BuiltinException.error("evaluation budget exceeded");
        }
    }

    @Override
    public Map<Object, Object> queryCache() {
        return queryCache;
    }

    private void step(Location loc) {
        if (++steps > options.maxSteps()) {
            throw new RegoException("eval_cancel_error", loc, "evaluation exceeded " + options.maxSteps() + " steps");
        }
        if ((steps & 1023) == 0 && System.nanoTime() > deadline) {
            throw new RegoException("eval_cancel_error", loc, "evaluation exceeded " + options.timeoutMillis() + " ms");
        }
    }

    private void enter(Location loc) {
        if (++depth > options.maxDepth()) {
            throw new RegoException("eval_cancel_error", loc, "evaluation exceeded depth " + options.maxDepth());
        }
    }

    // ------------------------------------------------------------ bodies

    boolean body(List<Literal> body, int i, Value[] f, K k) {
        if (i == body.size()) {
            return k.run();
        }
        Literal lit = body.get(i);
        return literal(lit, f, () -> body(body, i + 1, f, k));
    }

    private boolean literal(Literal lit, Value[] f, K k) {
        step(lit.location());
        if (!lit.withs().isEmpty()) {
            return withLiteral(lit, f, k);
        }
        if (lit.negated()) {
            boolean found = expr(lit.expr(), lit.location(), f, () -> true);
            return !found && k.run();
        }
        return expr(lit.expr(), lit.location(), f, k);
    }

    private boolean expr(Expr e, Location loc, Value[] f, K k) {
        if (e instanceof Expr.TermExpr t) {
            Term term = t.term();
            if (term instanceof Term.Call c) {
                return callExpr(c, f, k);
            }
            return eval(term, f, v -> v != BooleanValue.FALSE && k.run());
        }
        if (e instanceof Expr.Unify u) {
            return unify(u.left(), u.right(), f, k);
        }
        if (e instanceof Expr.Block b) {
            return body(b.body(), 0, f, k);
        }
        if (e instanceof Expr.SomeDecl) {
            return k.run();
        }
        if (e instanceof Expr.SomeIn s) {
            return eval(s.collection(), f, coll -> iterate(coll, (key, val) ->
                    s.key() == null ? unifyValue(s.value(), val, f, k)
                            : unifyValue(s.key(), key, f, () -> unifyValue(s.value(), val, f, k))));
        }
        Expr.Every ev = (Expr.Every) e;
        return eval(ev.collection(), f, coll -> {
            boolean[] ok = {true};
            iterate(coll, (key, val) -> {
                K inner = () -> body(ev.body(), 0, f, () -> true);
                boolean found = ev.key() == null ? unifyValue(ev.value(), val, f, inner)
                        : unifyValue(ev.key(), key, f, () -> unifyValue(ev.value(), val, f, inner));
                if (!found) {
                    ok[0] = false;
                    return true;
                }
                return false;
            });
            return ok[0] && k.run();
        });
    }

    interface KV {
        boolean accept(Value key, Value value);
    }

    private boolean iterate(Value coll, KV kv) {
        if (coll instanceof ArrayValue a) {
            for (int i = 0; i < a.size(); i++) {
                step(null);
                if (kv.accept(NumberValue.of(i), a.get(i))) {
                    return true;
                }
            }
        } else if (coll instanceof ObjectValue o) {
            for (Map.Entry<Value, Value> e : o.entrySet()) {
                step(null);
                if (kv.accept(e.getKey(), e.getValue())) {
                    return true;
                }
            }
        } else if (coll instanceof SetValue s) {
            for (Value v : s.elements()) {
                step(null);
                if (kv.accept(v, v)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------ with

    private boolean withLiteral(Literal lit, Value[] f, K k) {
        return withValues(lit, 0, new Value[lit.withs().size()], f, k);
    }

    private boolean withValues(Literal lit, int i, Value[] values, Value[] f, K k) {
        if (i < lit.withs().size()) {
            Term v = lit.withs().get(i).value();
            if (v instanceof Term.Call c && c.args().isEmpty() && c.target() != null) {
                return withValues(lit, i + 1, values, f, k);
            }
            return eval(v, f, val -> {
                values[i] = val;
                return withValues(lit, i + 1, values, f, k);
            });
        }
        Context outer = ctx;
        Value input = outer.input;
        ObjectValue data = outer.data;
        Set<List<Value>> overridden = new HashSet<>(outer.overridden);
        Map<String, Object> mocks = new HashMap<>(outer.mocks);
        for (int w = 0; w < lit.withs().size(); w++) {
            Literal.With with = lit.withs().get(w);
            Term target = with.target();
            if (target instanceof Term.Call c) {
                Object replacement = with.value() instanceof Term.Call vc && vc.args().isEmpty() && vc.target() != null
                        ? vc.target() : values[w];
                mocks.put(c.target().name(), replacement);
                continue;
            }
            Term.Ref r = (Term.Ref) target;
            List<Value> path = new ArrayList<>();
            for (Term p : r.path()) {
                path.add(((Term.Const) p).value());
            }
            if (((Term.Var) r.head()).name().equals("input")) {
                input = path.isEmpty() ? values[w] : patch(input, path, 0, values[w]);
            } else {
                data = (ObjectValue) patch(data, path, 0, values[w]);
                overridden.add(List.copyOf(path));
            }
        }
        Context inner = new Context(input, data, overridden, mocks);
        ctx = inner;
        try {
            K restore = () -> {
                ctx = outer;
                try {
                    return k.run();
                } finally {
                    ctx = inner;
                }
            };
            if (lit.negated()) {
                boolean found = expr(lit.expr(), lit.location(), f, () -> true);
                ctx = outer;
                return !found && k.run();
            }
            return expr(lit.expr(), lit.location(), f, restore);
        } finally {
            ctx = outer;
        }
    }

    private static Value patch(Value base, List<Value> path, int i, Value v) {
        if (i == path.size()) {
            return v;
        }
        ObjectValue obj = base instanceof ObjectValue o ? o : ObjectValue.EMPTY;
        Value child = obj.get(path.get(i));
        return obj.with(path.get(i), patch(child, path, i + 1, v));
    }

    // ------------------------------------------------------------ unification

    private boolean unify(Term a, Term b, Value[] f, K k) {
        if (a instanceof Term.Local la && f[la.slot()] == null) {
            if (b instanceof Term.Local lb && f[lb.slot()] == null) {
                throw unsafe(la.name());
            }
            if (isPattern(b, f)) {
                return eval(a, f, v -> unifyValue(b, v, f, k));
            }
            return eval(b, f, v -> bind(la.slot(), v, f, k));
        }
        if (b instanceof Term.Local lb && f[lb.slot()] == null) {
            return eval(a, f, v -> bind(lb.slot(), v, f, k));
        }
        if (a instanceof Term.ArrayTerm x && b instanceof Term.ArrayTerm y) {
            if (x.elements().size() != y.elements().size()) {
                return false;
            }
            return unifyPairs(x.elements(), y.elements(), 0, f, k);
        }
        if (isPattern(a, f)) {
            if (isPattern(b, f)) {
                if (a instanceof Term.ObjectTerm || b instanceof Term.ObjectTerm) {
                    return unifyObjects(a, b, f, k);
                }
                throw unsafe(firstUnbound(a, f));
            }
            return eval(b, f, v -> unifyValue(a, v, f, k));
        }
        return eval(a, f, v -> unifyValue(b, v, f, k));
    }

    private boolean unifyObjects(Term a, Term b, Value[] f, K k) {
        if (!(a instanceof Term.ObjectTerm x) || !(b instanceof Term.ObjectTerm y) || x.keys().size() != y.keys().size()) {
            return false;
        }
        return evalAll(x.keys(), 0, new Value[x.keys().size()], f, kx -> evalAll(y.keys(), 0, new Value[y.keys().size()], f, ky -> {
            List<Term> left = new ArrayList<>();
            List<Term> right = new ArrayList<>();
            for (int i = 0; i < kx.length; i++) {
                int j = Arrays.asList(ky).indexOf(kx[i]);
                if (j < 0) {
                    return false;
                }
                left.add(x.values().get(i));
                right.add(y.values().get(j));
            }
            return unifyPairs(left, right, 0, f, k);
        }));
    }

    private boolean unifyPairs(List<Term> xs, List<Term> ys, int i, Value[] f, K k) {
        if (i == xs.size()) {
            return k.run();
        }
        return unify(xs.get(i), ys.get(i), f, () -> unifyPairs(xs, ys, i + 1, f, k));
    }

    private boolean bind(int slot, Value v, Value[] f, K k) {
        f[slot] = v;
        try {
            return k.run();
        } finally {
            f[slot] = null;
        }
    }

    /** True when a term has unbound variables outside references (so it is a pattern, not a value). */
    private static boolean isPattern(Term t, Value[] f) {
        if (t instanceof Term.Local l) {
            return f[l.slot()] == null;
        }
        if (t instanceof Term.ArrayTerm a) {
            for (Term e : a.elements()) {
                if (isPattern(e, f)) {
                    return true;
                }
            }
        } else if (t instanceof Term.ObjectTerm o) {
            for (Term e : o.values()) {
                if (isPattern(e, f)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String firstUnbound(Term t, Value[] f) {
        if (t instanceof Term.Local l && f[l.slot()] == null) {
            return l.name();
        }
        if (t instanceof Term.ArrayTerm a) {
            for (Term e : a.elements()) {
                String n = firstUnbound(e, f);
                if (n != null) {
                    return n;
                }
            }
        } else if (t instanceof Term.ObjectTerm o) {
            for (Term e : o.values()) {
                String n = firstUnbound(e, f);
                if (n != null) {
                    return n;
                }
            }
        }
        return null;
    }

    /** Unifies a term (possibly a pattern) with a value. */
    boolean unifyValue(Term t, Value v, Value[] f, K k) {
        if (t instanceof Term.Local l) {
            Value cur = f[l.slot()];
            if (cur == null) {
                return bind(l.slot(), v, f, k);
            }
            return cur.equals(v) && k.run();
        }
        if (t instanceof Term.Const c) {
            return c.value().equals(v) && k.run();
        }
        if (t instanceof Term.ArrayTerm a) {
            if (!(v instanceof ArrayValue av) || av.size() != a.elements().size()) {
                return false;
            }
            return unifyElements(a.elements(), av, 0, f, k);
        }
        if (t instanceof Term.ObjectTerm o && isPattern(t, f)) {
            if (!(v instanceof ObjectValue ov) || ov.size() != o.keys().size()) {
                return false;
            }
            return evalAll(o.keys(), 0, new Value[o.keys().size()], f, keys -> unifyObjectValues(o, keys, ov, 0, f, k));
        }
        return eval(t, f, tv -> tv.equals(v) && k.run());
    }

    private boolean unifyElements(List<Term> ts, ArrayValue av, int i, Value[] f, K k) {
        if (i == ts.size()) {
            return k.run();
        }
        return unifyValue(ts.get(i), av.get(i), f, () -> unifyElements(ts, av, i + 1, f, k));
    }

    private boolean unifyObjectValues(Term.ObjectTerm o, Value[] keys, ObjectValue ov, int i, Value[] f, K k) {
        if (i == keys.length) {
            return k.run();
        }
        Value v = ov.get(keys[i]);
        if (v == null) {
            return false;
        }
        return unifyValue(o.values().get(i), v, f, () -> unifyObjectValues(o, keys, ov, i + 1, f, k));
    }

    interface VsK {
        boolean accept(Value[] vs);
    }

    private boolean evalAll(List<Term> ts, int i, Value[] out, Value[] f, VsK k) {
        if (i == ts.size()) {
            return k.accept(out);
        }
        return eval(ts.get(i), f, v -> {
            out[i] = v;
            return evalAll(ts, i + 1, out, f, k);
        });
    }

    private static RegoException unsafe(String name) {
        return new RegoException("rego_unsafe_var_error", null, "var " + name + " is unsafe");
    }

    // ------------------------------------------------------------ terms

    /** Evaluates a term to each of its values (references with unbound variables enumerate). */
    boolean eval(Term t, Value[] f, VK k) {
        if (t instanceof Term.Const c) {
            return k.accept(c.value());
        }
        if (t instanceof Term.Local l) {
            Value v = f[l.slot()];
            if (v == null) {
                throw unsafe(l.name());
            }
            return k.accept(v);
        }
        if (t instanceof Term.Ref r) {
            if (r.head() instanceof Term.Var && r.path().isEmpty() || !isDirect(r, f)) {
                return ref(r, f, k);
            }
            Value v = direct(r, f);
            return v != null && k.accept(v);
        }
        if (t instanceof Term.Call c) {
            return call(c, f, k);
        }
        if (t instanceof Term.ArrayTerm a) {
            return evalAll(a.elements(), 0, new Value[a.elements().size()], f, vs -> k.accept(ArrayValue.of(vs)));
        }
        if (t instanceof Term.SetTerm s) {
            return evalAll(s.elements(), 0, new Value[s.elements().size()], f, vs -> k.accept(SetValue.of(vs)));
        }
        if (t instanceof Term.ObjectTerm o) {
            int n = o.keys().size();
            return evalAll(o.keys(), 0, new Value[n], f, ks -> {
                Value[] keys = ks.clone();
                return evalAll(o.values(), 0, new Value[n], f, vs -> {
                    ObjectValue.Builder b = ObjectValue.builder();
                    for (int i = 0; i < n; i++) {
                        Value prev = b.get(keys[i]);
                        if (prev != null && !prev.equals(vs[i])) {
                            throw new RegoException("eval_conflict_error", null, "object keys must be unique");
                        }
                        b.put(keys[i], vs[i]);
                    }
                    return k.accept(b.build());
                });
            });
        }
        if (t instanceof Term.ArrayCompr c) {
            List<Value> out = new ArrayList<>();
            enter(null);
            try {
                body(c.body(), 0, f, () -> eval(c.head(), f, v -> {
                    out.add(v);
                    return false;
                }));
            } finally {
                depth--;
            }
            return k.accept(ArrayValue.of(out));
        }
        if (t instanceof Term.SetCompr c) {
            SetValue.Builder out = SetValue.builder();
            enter(null);
            try {
                body(c.body(), 0, f, () -> eval(c.head(), f, v -> {
                    out.add(v);
                    return false;
                }));
            } finally {
                depth--;
            }
            return k.accept(out.build());
        }
        if (t instanceof Term.ObjectCompr c) {
            ObjectValue.Builder out = ObjectValue.builder();
            enter(null);
            try {
                body(c.body(), 0, f, () -> eval(c.key(), f, kv -> eval(c.value(), f, vv -> {
                    Value prev = out.get(kv);
                    if (prev != null && !prev.equals(vv)) {
                        throw new RegoException("eval_conflict_error", null, "object keys must be unique");
                    }
                    out.put(kv, vv);
                    return false;
                })));
            } finally {
                depth--;
            }
            return k.accept(out.build());
        }
        if (t instanceof Term.Var v) {
            throw unsafe(v.name());
        }
        throw new IllegalStateException("uncompiled term " + t);
    }

    // ------------------------------------------------------------ references

    private boolean ref(Term.Ref r, Value[] f, VK k) {
        Term head = r.head();
        if (head instanceof Term.Var v) {
            if (v.name().equals("input")) {
                Value in = ctx.input;
                return in != null && walk(in, r.path(), 0, f, k);
            }
            return dataRef(root, ctx.data, r.path(), 0, f, k);
        }
        if (head instanceof Term.Local l) {
            Value v = f[l.slot()];
            if (v == null) {
                throw unsafe(l.name());
            }
            return walk(v, r.path(), 0, f, k);
        }
        return eval(head, f, v -> walk(v, r.path(), 0, f, k));
    }

    /** Applies reference path elements to a value. */
    private boolean walk(Value cur, List<Term> path, int i, Value[] f, VK k) {
        if (i == path.size()) {
            return k.accept(cur);
        }
        Term seg = path.get(i);
        if (seg instanceof Term.Local l && f[l.slot()] == null) {
            return iterate(cur, (key, val) -> bind(l.slot(), key, f, () -> walk(val, path, i + 1, f, k)));
        }
        if (isPattern(seg, f)) {
            return iterate(cur, (key, val) -> unifyValue(seg, key, f, () -> walk(val, path, i + 1, f, k)));
        }
        return eval(seg, f, key -> {
            Value next = select(cur, key);
            return next != null && walk(next, path, i + 1, f, k);
        });
    }

    static Value select(Value cur, Value key) {
        if (cur instanceof ObjectValue o) {
            return o.get(key);
        }
        if (cur instanceof ArrayValue a) {
            if (key instanceof NumberValue n) {
                Integer idx = n.intValueExact();
                if (idx != null && idx >= 0 && idx < a.size()) {
                    return a.get(idx);
                }
            }
            return null;
        }
        if (cur instanceof SetValue s) {
            return s.contains(key) ? key : null;
        }
        return null;
    }

    /** Resolves a data reference through the rule tree and the base documents. */
    private boolean dataRef(RuleNode node, Value base, List<Term> path, int i, Value[] f, VK k) {
        if (node == null) {
            if (base == null) {
                return false;
            }
            if (i < path.size() && base instanceof ObjectValue o && path.get(i) instanceof Term.Const c
                    && c.value() instanceof NumberValue && o.get(c.value()) == null) {
                Value child = o.get(StringValue.of(c.value().toString()));
                return child != null && dataRef(null, child, path, i + 1, f, k);
            }
            return walk(base, path, i, f, k);
        }
        if (!ctx.overridden.isEmpty() && ctx.overridden.contains(node.path)) {
            return base != null && walk(base, path, i, f, k);
        }
        if (!node.rules.isEmpty() || node.defaultRule != null) {
            Value v = base != null ? base : ruleValue(node);
            if (v == null) {
                return false;
            }
            return walk(v, path, i, f, k);
        }
        if (i == path.size()) {
            Value doc = document(node, base);
            return doc != null && k.accept(doc);
        }
        Term seg = path.get(i);
        if (seg instanceof Term.Local l && f[l.slot()] == null) {
            Set<Value> keys = new java.util.LinkedHashSet<>();
            for (Map.Entry<Value, RuleNode> c : node.children.entrySet()) {
                if (!c.getValue().isFunction()) {
                    keys.add(c.getKey());
                }
            }
            if (base instanceof ObjectValue o) {
                keys.addAll(o.keySet());
            }
            for (Value key : keys) {
                step(null);
                RuleNode child = node.children.get(key);
                Value childBase = base instanceof ObjectValue o ? o.get(key) : null;
                if (bind(l.slot(), key, f, () -> dataRef(child, childBase, path, i + 1, f, k))) {
                    return true;
                }
            }
            return false;
        }
        return eval(seg, f, key -> {
            RuleNode child = node.children.get(key);
            Value childBase = base instanceof ObjectValue o ? o.get(key) : null;
            if (childBase == null && key instanceof NumberValue && base instanceof ObjectValue o) {
                childBase = o.get(StringValue.of(key.toString()));
            }
            if (child == null && childBase == null) {
                return false;
            }
            return dataRef(child, childBase, path, i + 1, f, k);
        });
    }

    /** The full document at a node: base data merged with every virtual document below it. */
    private Value document(RuleNode node, Value base) {
        if (node == null) {
            return base;
        }
        if (!ctx.overridden.isEmpty() && ctx.overridden.contains(node.path)) {
            return base;
        }
        if (!node.rules.isEmpty() || node.defaultRule != null) {
            return base != null ? base : ruleValue(node);
        }
        ObjectValue.Builder b = ObjectValue.builder();
        if (base instanceof ObjectValue o) {
            for (Map.Entry<Value, Value> e : o.entrySet()) {
                b.put(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<Value, RuleNode> c : node.children.entrySet()) {
            if (c.getValue().isFunction()) {
                continue;
            }
            Value childBase = base instanceof ObjectValue o ? o.get(c.getKey()) : null;
            Value v = document(c.getValue(), childBase);
            if (v != null) {
                b.put(c.getKey(), v);
            }
        }
        return b.build();
    }

    // ------------------------------------------------------------ rules

    /** The value of the rules at a node (memoised per query and {@code with} scope), or null. */
    private Value ruleValue(RuleNode node) {
        Object cached = ctx.memo.get(node);
        if (cached != null) {
            return cached == UNDEFINED ? null : (Value) cached;
        }
        Object key = List.of(node, ctx);
        if (!inProgress.add(key)) {
            throw new RegoException("rego_recursion_error", node.rules.isEmpty() ? null : node.rules.get(0).location,
                    "rule " + node.displayName() + " is recursive");
        }
        Context at = ctx;
        Value v;
        try {
            v = computeRuleValue(node);
        } finally {
            inProgress.remove(key);
        }
        at.memo.put(node, v == null ? UNDEFINED : v);
        return v;
    }

    private Value computeRuleValue(RuleNode node) {
        boolean multi = false;
        boolean object = false;
        for (CompiledRule r : node.rules) {
            multi |= r.key != null;
            object |= !r.dynamicHead.isEmpty();
        }
        if (multi || object) {
            Map<Value, Object> tree = new LinkedHashMap<>();
            SetValue.Builder set = SetValue.builder();
            for (CompiledRule r : node.rules) {
                evalPartialRule(node, r, tree, set);
            }
            if (multi && !object) {
                return set.build();
            }
            Value obj = freeze(tree);
            for (Map.Entry<Value, RuleNode> c : node.children.entrySet()) {
                if (!c.getValue().isFunction()) {
                    Value cv = document(c.getValue(), null);
                    if (cv != null) {
                        obj = ((ObjectValue) obj).with(c.getKey(), cv);
                    }
                }
            }
            return obj;
        }
        Value result = null;
        for (CompiledRule r : node.rules) {
            Value v = evalCompleteRule(node, r);
            if (v != null) {
                if (result != null && !result.equals(v)) {
                    throw conflict(node, r);
                }
                result = v;
            }
        }
        if (result == null && node.defaultRule != null) {
            Value[] frame = new Value[node.defaultRule.frameSize];
            Value[] out = new Value[1];
            eval(node.defaultRule.value, frame, v -> {
                out[0] = v;
                return true;
            });
            result = out[0];
        }
        if (result != null && !node.children.isEmpty() && result instanceof ObjectValue o) {
            for (Map.Entry<Value, RuleNode> c : node.children.entrySet()) {
                if (!c.getValue().isFunction()) {
                    Value cv = document(c.getValue(), null);
                    if (cv != null) {
                        o = o.with(c.getKey(), cv);
                    }
                }
            }
            result = o;
        }
        return result;
    }

    private RegoException conflict(RuleNode node, CompiledRule r) {
        if (node.hasElse && !node.allElse) {
            return new RegoException("eval_conflict_error", r.location, "complete rules must not produce multiple outputs");
        }
        return new RegoException("eval_conflict_error", r.location, "rule " + node.displayName() + " produced conflicting values");
    }

    /** Value of one complete rule with its else chain, or null when undefined. */
    private Value evalCompleteRule(RuleNode node, CompiledRule rule) {
        for (CompiledRule r = rule; r != null; r = r.elseRule) {
            Value[] frame = new Value[r.frameSize];
            Value[] result = new Value[1];
            CompiledRule cur = r;
            boolean constant = r.value instanceof Term.Const;
            enter(r.location);
            try {
                body(r.body, 0, frame, () -> eval(cur.value, frame, v -> {
                    if (result[0] != null && !result[0].equals(v)) {
                        throw conflict(node, cur);
                    }
                    result[0] = v;
                    return constant;
                }));
            } finally {
                depth--;
            }
            if (result[0] != null) {
                return result[0];
            }
        }
        return null;
    }

    private void evalPartialRule(RuleNode node, CompiledRule r, Map<Value, Object> tree, SetValue.Builder set) {
        Value[] frame = new Value[r.frameSize];
        enter(r.location);
        try {
            body(r.body, 0, frame, () -> evalAll(r.dynamicHead, 0, new Value[r.dynamicHead.size()], frame, keys -> {
                if (r.key != null) {
                    return eval(r.key, frame, key -> {
                        if (keys.length == 0) {
                            set.add(key);
                        } else {
                            insertSetMember(node, r, tree, keys, key);
                        }
                        return false;
                    });
                }
                return eval(r.value, frame, v -> {
                    insert(node, r, tree, keys, v);
                    return false;
                });
            }));
        } finally {
            depth--;
        }
    }

    @SuppressWarnings("unchecked")
    private void insert(RuleNode node, CompiledRule r, Map<Value, Object> tree, Value[] keys, Value v) {
        Map<Value, Object> level = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            Object next = level.get(keys[i]);
            if (next == null) {
                next = new LinkedHashMap<Value, Object>();
                level.put(keys[i], next);
            } else if (!(next instanceof Map)) {
                throw new RegoException("eval_conflict_error", r.location, "object keys must be unique");
            }
            level = (Map<Value, Object>) next;
        }
        Value last = keys[keys.length - 1];
        Object prev = level.get(last);
        if (prev == null) {
            level.put(last, v);
        } else if (prev instanceof Map || !prev.equals(v)) {
            if (keys.length == 1) {
                throw new RegoException("eval_conflict_error", r.location, "object keys must be unique");
            }
            throw new RegoException("eval_conflict_error", r.location, "object keys must be unique");
        }
    }

    @SuppressWarnings("unchecked")
    private void insertSetMember(RuleNode node, CompiledRule r, Map<Value, Object> tree, Value[] keys, Value member) {
        Map<Value, Object> level = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            level = (Map<Value, Object>) level.computeIfAbsent(keys[i], x -> new LinkedHashMap<Value, Object>());
        }
        Object cur = level.get(keys[keys.length - 1]);
        SetValue.Builder b;
        if (cur instanceof SetValue.Builder sb) {
            b = sb;
        } else {
            b = SetValue.builder();
            level.put(keys[keys.length - 1], b);
        }
        b.add(member);
    }

    @SuppressWarnings("unchecked")
    private static Value freeze(Map<Value, Object> tree) {
        ObjectValue.Builder b = ObjectValue.builder();
        for (Map.Entry<Value, Object> e : tree.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map) {
                b.put(e.getKey(), freeze((Map<Value, Object>) v));
            } else if (v instanceof SetValue.Builder sb) {
                b.put(e.getKey(), sb.build());
            } else {
                b.put(e.getKey(), (Value) v);
            }
        }
        return b.build();
    }

    // ------------------------------------------------------------ calls

    /** A call used as an expression: with an extra argument that argument receives the result. */
    private boolean outputArgCall;

    private boolean callExpr(Term.Call c, Value[] f, K k) {
        int arity = arity(c.target());
        if (arity >= 0 && c.args().size() == arity + 1) {
            Term out = c.args().get(arity);
            outputArgCall = true;
            return invoke(c, c.args().subList(0, arity), f, v -> {
                outputArgCall = false;
                return unifyValue(out, v, f, k);
            });
        }
        outputArgCall = false;
        return invoke(c, c.args(), f, v -> v != BooleanValue.FALSE && k.run());
    }

    private int arity(CallTarget target) {
        if (target instanceof CallTarget.BuiltinTarget b) {
            return b.builtin().arity();
        }
        RuleNode n = functionNode(((CallTarget.FunctionTarget) target).path());
        if (n == null) {
            return Builtin.VARIADIC;
        }
        CompiledRule any = n.functions.isEmpty() ? n.defaultFunction : n.functions.get(0);
        return any == null ? Builtin.VARIADIC : any.args.size();
    }

    private boolean call(Term.Call c, Value[] f, VK k) {
        return invoke(c, c.args(), f, k);
    }

    private boolean invoke(Term.Call c, List<Term> args, Value[] f, VK k) {
        CallTarget target = c.target();
        if (!ctx.mocks.isEmpty()) {
            Object mock = ctx.mocks.get(target.name());
            if (mock instanceof Value v) {
                return evalAll(args, 0, new Value[args.size()], f, vs -> k.accept(v));
            }
            if (mock instanceof CallTarget t) {
                // A replacement runs with the real functions: mocks do not call mocks (OPA's rule).
                Context outer = ctx;
                Context unmocked = new Context(outer.input, outer.data, outer.overridden, Map.of());
                return evalAll(args, 0, new Value[args.size()], f, vs -> {
                    Value v;
                    ctx = unmocked;
                    try {
                        v = t instanceof CallTarget.BuiltinTarget b ? builtinValue(b.builtin(), vs.clone(), c.location())
                                : callFunction(((CallTarget.FunctionTarget) t).path(), vs.clone(), c.location());
                    } finally {
                        ctx = outer;
                    }
                    return v != null && k.accept(v);
                });
            }
        }
        if (target instanceof CallTarget.BuiltinTarget b && b.builtin().arity() == Builtin.VARIADIC) {
            return print(args, f, k);
        }
        CallTarget tgt = target;
        if (allDirect(args, f)) {
            Value[] vs = new Value[args.size()];
            for (int i = 0; i < vs.length; i++) {
                vs[i] = direct(args.get(i), f);
                if (vs[i] == null) {
                    return false;
                }
            }
            if (tgt instanceof CallTarget.BuiltinTarget b) {
                return callBuiltin(b.builtin(), vs, c.location(), k);
            }
            Value v = callFunction(((CallTarget.FunctionTarget) tgt).path(), vs, c.location());
            return v != null && k.accept(v);
        }
        return evalAll(args, 0, new Value[args.size()], f, vs -> {
            if (tgt instanceof CallTarget.BuiltinTarget b) {
                return callBuiltin(b.builtin(), vs.clone(), c.location(), k);
            }
            Value v = callFunction(((CallTarget.FunctionTarget) tgt).path(), vs.clone(), c.location());
            return v != null && k.accept(v);
        });
    }

    // ------------------------------------------------------------ direct evaluation (no enumeration)

    private boolean allDirect(List<Term> ts, Value[] f) {
        for (int i = 0; i < ts.size(); i++) {
            if (!isDirect(ts.get(i), f)) {
                return false;
            }
        }
        return true;
    }

    /** True when a term has exactly one value or none, so it needs no continuation. */
    private boolean isDirect(Term t, Value[] f) {
        if (t instanceof Term.Const) {
            return true;
        }
        if (t instanceof Term.Local l) {
            return f[l.slot()] != null;
        }
        if (t instanceof Term.Ref r) {
            Term h = r.head();
            if (!(h instanceof Term.Var || h instanceof Term.Local l && f[l.slot()] != null)) {
                return false;
            }
            return allDirect(r.path(), f);
        }
        if (t instanceof Term.ArrayTerm a) {
            return allDirect(a.elements(), f);
        }
        return false;
    }

    /** The single value of a direct term, or null when undefined. */
    private Value direct(Term t, Value[] f) {
        if (t instanceof Term.Const c) {
            return c.value();
        }
        if (t instanceof Term.Local l) {
            return f[l.slot()];
        }
        if (t instanceof Term.Ref r) {
            List<Term> path = r.path();
            Term h = r.head();
            Value cur;
            int i = 0;
            if (h instanceof Term.Local l) {
                cur = f[l.slot()];
            } else if (((Term.Var) h).name().equals("input")) {
                cur = ctx.input;
            } else {
                Value[] out = new Value[1];
                dataRef(root, ctx.data, path, 0, f, v -> {
                    out[0] = v;
                    return true;
                });
                return out[0];
            }
            for (; i < path.size() && cur != null; i++) {
                Value key = direct(path.get(i), f);
                if (key == null) {
                    return null;
                }
                cur = select(cur, key);
            }
            return cur;
        }
        Term.ArrayTerm a = (Term.ArrayTerm) t;
        Value[] vs = new Value[a.elements().size()];
        for (int i = 0; i < vs.length; i++) {
            vs[i] = direct(a.elements().get(i), f);
            if (vs[i] == null) {
                return null;
            }
        }
        return ArrayValue.of(vs);
    }

    private boolean print(List<Term> args, Value[] f, VK k) {
        StringBuilder sb = new StringBuilder();
        for (Term a : args) {
            List<String> parts = new ArrayList<>();
            try {
                eval(a, f, v -> {
                    parts.add(v instanceof StringValue s ? s.value() : v.toString());
                    return false;
                });
            } catch (RegoException e) {
                parts.clear();
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (parts.isEmpty()) {
                sb.append("<undefined>");
            } else if (parts.size() == 1) {
                sb.append(parts.get(0));
            } else {
                sb.append("{").append(String.join(", ", parts)).append("}");
            }
        }
        printer.accept(sb.toString());
        return k.accept(BooleanValue.TRUE);
    }

    /** A builtin's single result, for calls through a mock. */
    private Value builtinValue(Builtin b, Value[] args, Location loc) {
        Value[] out = new Value[1];
        callBuiltin(b, args, loc, v -> {
            out[0] = v;
            return true;
        });
        return out[0];
    }

    private boolean callBuiltin(Builtin b, Value[] args, Location loc, VK k) {
        step(loc);
        Value result;
        try {
            if (!b.deterministic()) {
                List<Object> key = List.of(b.name(), List.of(args));
                Object cached = queryCache.get(key);
                if (cached == null) {
                    Value v = b.function().apply(args, this);
                    cached = v == null ? UNDEFINED : v;
                    queryCache.put(key, cached);
                }
                result = cached == UNDEFINED ? null : (Value) cached;
            } else {
                result = b.function().apply(args, this);
            }
        } catch (BuiltinException e) {
            if (options.strictBuiltinErrors() || b.name().equals("http.send") || b.name().equals("net.lookup_ip_addr")) {
                throw new RegoException(e.code().opaName(), loc, b.name() + ": " + e.getMessage());
            }
            return false;
        } catch (ArithmeticException e) {
            if (options.strictBuiltinErrors()) {
                throw new RegoException("eval_builtin_error", loc, b.name() + ": " + e.getMessage());
            }
            return false;
        } catch (RegoException e) {
            throw e;
        } catch (RuntimeException e) {
            // A builtin's own bug must stop the evaluation, not read as undefined: an undefined deny rule would allow.
            throw new RegoException("eval_internal_error", loc, b.name() + ": internal error (" + e.getClass().getSimpleName() + ")");
        }
        if (result == null) {
            return false;
        }
        if (b.relation()) {
            for (Value v : ((ArrayValue) result).elements()) {
                if (k.accept(v)) {
                    return true;
                }
            }
            return false;
        }
        return k.accept(result);
    }

    private RuleNode functionNode(List<String> path) {
        RuleNode n = root;
        for (String s : path) {
            n = n.children.get(StringValue.of(s));
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    /** Calls a user function; null when undefined. */
    Value callFunction(List<String> path, Value[] args, Location loc) {
        RuleNode node = functionNode(path);
        if (node == null) {
            return null;
        }
        List<Object> memoKey = List.of(node, List.of(args));
        Object cached = ctx.memo.get(memoKey);
        if (cached != null) {
            return cached == UNDEFINED ? null : (Value) cached;
        }
        List<Object> active = List.of(node, ctx);
        if (!inProgress.add(active)) {
            throw new RegoException("rego_recursion_error", loc, "rule " + node.displayName() + " is recursive");
        }
        try {
            Value v = callFunctionOnce(node, args, loc);
            ctx.memo.put(memoKey, v == null ? UNDEFINED : v);
            return v;
        } finally {
            inProgress.remove(active);
        }
    }

    private Value callFunctionOnce(RuleNode node, Value[] args, Location loc) {
        enter(loc);
        Value result = null;
        try {
            for (CompiledRule rule : node.functions) {
                for (CompiledRule r = rule; r != null; r = r.elseRule) {
                    Value[] frame = new Value[r.frameSize];
                    Value[] out = new Value[1];
                    CompiledRule cur = r;
                    bindArgs(r.args, args, 0, frame, () -> body(cur.body, 0, frame, () -> eval(cur.value, frame, v -> {
                        if (out[0] != null && !out[0].equals(v)) {
                            throw new RegoException("eval_conflict_error", cur.location, "function " + node.displayName()
                                    + " produced conflicting values for the same inputs");
                        }
                        out[0] = v;
                        return false;
                    })));
                    if (out[0] != null) {
                        if (result != null && !result.equals(out[0])) {
                            throw functionConflict(node, r);
                        }
                        result = out[0];
                        break;
                    }
                }
            }
            if (result == null && node.defaultFunction != null) {
                Value[] frame = new Value[node.defaultFunction.frameSize];
                Value[] out = new Value[1];
                eval(node.defaultFunction.value, frame, v -> {
                    out[0] = v;
                    return true;
                });
                result = out[0];
            }
        } finally {
            depth--;
        }
        return result;
    }

    private RegoException functionConflict(RuleNode node, CompiledRule r) {
        if (outputArgCall) {
            return new RegoException("eval_conflict_error", r.location, "functions must not produce multiple outputs for same inputs");
        }
        return new RegoException("eval_conflict_error", r.location, "function " + node.displayName() + " produced conflicting values for the same inputs");
    }

    private boolean bindArgs(List<Term> params, Value[] args, int i, Value[] frame, K k) {
        if (i == params.size()) {
            return k.run();
        }
        return unifyValue(params.get(i), args[i], frame, () -> bindArgs(params, args, i + 1, frame, k));
    }
}
