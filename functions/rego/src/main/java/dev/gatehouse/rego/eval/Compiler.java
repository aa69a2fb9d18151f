package dev.gatehouse.rego.eval;

import dev.gatehouse.rego.ast.CallTarget;
import dev.gatehouse.rego.ast.Expr;
import dev.gatehouse.rego.ast.Literal;
import dev.gatehouse.rego.ast.Location;
import dev.gatehouse.rego.ast.Module;
import dev.gatehouse.rego.ast.Rule;
import dev.gatehouse.rego.ast.Term;
import dev.gatehouse.rego.builtins.Builtin;
import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Resolves names, lays out frames, orders bodies for safety and builds the rule tree. */
final class Compiler {

    private final BuiltinRegistry builtins;
    final RuleNode root = new RuleNode(List.of());
    private final Map<List<String>, Set<String>> ruleNamesByPackage = new HashMap<>();
    private final Set<List<Value>> functionPaths = new HashSet<>();
    private final Map<List<Value>, Integer> functionArity = new HashMap<>();

    Compiler(BuiltinRegistry builtins) {
        this.builtins = builtins;
    }

    /** Variable scopes; slots come from one counter per rule. */
    static final class Scope {
        final Scope parent;
        final Map<String, Integer> names = new java.util.LinkedHashMap<>();
        final int[] counter;
        final Map<Integer, String> slotNames;

        Scope(Scope parent) {
            this.parent = parent;
            this.counter = parent == null ? new int[1] : parent.counter;
            this.slotNames = parent == null ? new HashMap<>() : parent.slotNames;
        }

        Integer lookup(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                Integer i = s.names.get(name);
                if (i != null) {
                    return i;
                }
            }
            return null;
        }

        int declare(String name) {
            int slot = counter[0]++;
            names.put(name, slot);
            slotNames.put(slot, name);
            return slot;
        }
    }

    /** Per-module name context. */
    record ModuleContext(Module module, List<String> pkg, Map<String, Term.Ref> imports, Set<String> ruleNames) {
    }

    void compile(List<Module> modules) {
        for (Module m : modules) {
            Set<String> names = ruleNamesByPackage.computeIfAbsent(m.pkg(), k -> new HashSet<>());
            for (Rule r : m.rules()) {
                names.add(r.name());
                if (r.isFunction()) {
                    List<Value> path = fixedPath(m.pkg(), r.head(), r.head().size(), r.location());
                    functionPaths.add(path);
                    Integer prev = functionArity.put(path, r.args().size());
                    if (prev != null && prev != r.args().size()) {
                        throw new RegoException("rego_type_error", r.location(),
                                "conflicting rules data." + String.join(".", m.pkg()) + "." + r.name() + " found");
                    }
                }
            }
        }
        Map<Module, Map<Integer, ObjectValue>> ruleBlocks = new HashMap<>();
        for (Module m : modules) {
            Map<Integer, ObjectValue> byLine = new HashMap<>();
            int pkgLine = m.packageLine();
            for (Annotations.Block b : Annotations.blocks(m)) {
                if (b.nextLine() == pkgLine) {
                    annotations.addPackage(m.pkg(), Annotations.withScope(b.annotations(), "package"));
                } else {
                    byLine.put(b.nextLine(), b.annotations());
                }
            }
            for (Rule r : m.rules()) {
                ObjectValue a = byLine.get(r.location().line());
                if (a != null && Annotations.scope(a).equals("document")) {
                    annotations.addDocument(rulePath(m.pkg(), r), a);
                }
            }
            ruleBlocks.put(m, byLine);
        }
        for (Module m : modules) {
            ModuleContext ctx = new ModuleContext(m, m.pkg(), imports(m), ruleNamesByPackage.get(m.pkg()));
            Map<Integer, ObjectValue> byLine = ruleBlocks.get(m);
            for (Rule r : m.rules()) {
                ObjectValue own = byLine.get(r.location().line());
                if (own != null) {
                    own = Annotations.withScope(own, "rule");
                }
                currentRulePath = rulePath(m.pkg(), r);
                currentAnnotations = own;
                addRule(ctx, r);
            }
        }
        currentRulePath = null;
        currentAnnotations = null;
        markValueRules(root);
        checkConflicts(root);
    }

    private final Annotations annotations = new Annotations();
    private List<Value> currentRulePath;
    private ObjectValue currentAnnotations;

    private static List<Value> rulePath(List<String> pkg, Rule r) {
        List<Value> path = new ArrayList<>();
        for (String s : pkg) {
            path.add(StringValue.of(s));
        }
        for (Term t : r.head()) {
            if (!(t instanceof Term.Const c)) {
                break;
            }
            path.add(c.value());
        }
        return path;
    }

    private boolean markValueRules(RuleNode n) {
        boolean any = !n.rules.isEmpty() || n.defaultRule != null;
        for (RuleNode c : n.children.values()) {
            any |= markValueRules(c);
        }
        n.hasValueRules = any;
        return any;
    }

    private void checkConflicts(RuleNode n) {
        if (!n.functions.isEmpty() && !n.rules.isEmpty()) {
            throw new RegoException("rego_type_error", n.rules.get(0).location, "conflicting rules " + n.displayName() + " found");
        }
        for (RuleNode c : n.children.values()) {
            checkConflicts(c);
        }
    }

    private Map<String, Term.Ref> imports(Module m) {
        Map<String, Term.Ref> out = new HashMap<>();
        for (Module.Import imp : m.imports()) {
            String root = ((StringValue) ((Term.Const) imp.path().get(0)).value()).value();
            if (root.equals("future") || root.equals("rego")) {
                continue;
            }
            out.put(imp.alias(), new Term.Ref(new Term.Var(root, imp.location()), imp.path().subList(1, imp.path().size()), imp.location()));
        }
        return out;
    }

    private static List<Value> fixedPath(List<String> pkg, List<Term> head, int n, Location loc) {
        List<Value> path = new ArrayList<>();
        for (String s : pkg) {
            path.add(StringValue.of(s));
        }
        for (int i = 0; i < n; i++) {
            if (!(head.get(i) instanceof Term.Const c)) {
                throw new RegoException("rego_type_error", loc, "function reference must be ground");
            }
            path.add(c.value());
        }
        return path;
    }

    private void addRule(ModuleContext ctx, Rule r) {
        int fixed = 0;
        while (fixed < r.head().size() && r.head().get(fixed) instanceof Term.Const) {
            fixed++;
        }
        if (r.isFunction() && fixed < r.head().size()) {
            throw new RegoException("rego_type_error", r.location(), "function reference must be ground");
        }
        RuleNode node = root;
        for (String s : ctx.pkg()) {
            node = node.child(StringValue.of(s));
        }
        for (int i = 0; i < fixed; i++) {
            node = node.child(((Term.Const) r.head().get(i)).value());
        }
        CompiledRule c = compileRule(ctx, r, fixed);
        if (r.isFunction()) {
            if (r.isDefault()) {
                if (node.defaultFunction != null) {
                    throw new RegoException("rego_type_error", r.location(), "multiple default rules " + node.displayName() + " found");
                }
                node.defaultFunction = c;
            } else {
                node.functions.add(c);
                node.hasElse |= r.elseRule() != null;
            }
        } else if (r.isDefault()) {
            if (node.defaultRule != null) {
                throw new RegoException("rego_type_error", r.location(), "multiple default rules " + node.displayName() + " found");
            }
            node.defaultRule = c;
        } else {
            node.rules.add(c);
            node.hasElse |= r.elseRule() != null;
            node.allElse &= r.elseRule() != null;
        }
    }

    private CompiledRule compileRule(ModuleContext ctx, Rule r, int fixed) {
        Scope scope = new Scope(null);
        List<Term> args = null;
        if (r.args() != null) {
            args = new ArrayList<>();
            for (Term a : r.args()) {
                declarePattern(a, scope);
            }
            for (Term a : r.args()) {
                args.add(term(a, scope, ctx));
            }
        }
        BitSet bound = new BitSet();
        if (args != null) {
            for (Term a : args) {
                collectTermLocals(a, bound);
            }
        }
        List<Literal> body = body(r.body(), scope, ctx, bound);
        List<Term> dyn = new ArrayList<>();
        for (int i = fixed; i < r.head().size(); i++) {
            dyn.add(term(r.head().get(i), scope, ctx));
        }
        Term key = r.key() == null ? null : term(r.key(), scope, ctx);
        Term value = r.value() == null ? (key == null ? new Term.Const(BooleanValue.TRUE) : null) : term(r.value(), scope, ctx);
        List<Term> head = new ArrayList<>(dyn);
        if (key != null) {
            head.add(key);
        }
        if (value != null) {
            head.add(value);
        }
        checkSafety(body, head, bound, scope, r.location());
        CompiledRule c = new CompiledRule(r.location(), ctx.module().file(), dyn, args, key, value, body, r.isDefault(), scope.counter[0]);
        if (r.elseRule() != null) {
            Rule e = r.elseRule();
            c.elseRule = compileRule(ctx, new Rule(e.location(), r.head(), r.args(), null, e.value(), false, e.body(), e.elseRule(), e.assign()), fixed);
        }
        return fix(c);
    }

    /** Frame size is known only after the head is compiled. */
    private static CompiledRule fix(CompiledRule c) {
        return c;
    }

    // ------------------------------------------------------------ bodies

    List<Literal> body(List<Literal> lits, Scope scope, ModuleContext ctx, BitSet bound) {
        List<Literal> out = new ArrayList<>(lits.size());
        for (Literal l : lits) {
            out.add(literal(l, scope, ctx));
        }
        return reorder(out, bound);
    }

    private Literal literal(Literal l, Scope scope, ModuleContext ctx) {
        Expr e = l.expr();
        Expr compiled;
        if (e instanceof Expr.TermExpr t) {
            compiled = new Expr.TermExpr(term(t.term(), scope, ctx));
        } else if (e instanceof Expr.Unify u) {
            if (u.declare()) {
                Term right = term(u.right(), scope, ctx);
                checkAssignable(u.left(), l.location());
                checkNotDeclared(u.left(), scope, l.location());
                declarePattern(u.left(), scope);
                compiled = new Expr.Unify(term(u.left(), scope, ctx), right, true);
            } else {
                compiled = new Expr.Unify(term(u.left(), scope, ctx), term(u.right(), scope, ctx), false);
            }
        } else if (e instanceof Expr.SomeDecl s) {
            for (Term.Var v : s.vars()) {
                scope.declare(v.name());
            }
            compiled = s;
        } else if (e instanceof Expr.SomeIn s) {
            Term coll = term(s.collection(), scope, ctx);
            if (s.key() != null) {
                declarePattern(s.key(), scope);
            }
            declarePattern(s.value(), scope);
            compiled = new Expr.SomeIn(s.key() == null ? null : term(s.key(), scope, ctx), term(s.value(), scope, ctx), coll);
        } else if (e instanceof Expr.Block b) {
            Scope inner = new Scope(scope);
            List<Literal> body = new ArrayList<>();
            for (Literal x : b.body()) {
                body.add(literal(x, inner, ctx));
            }
            compiled = new Expr.Block(reorder(body, new BitSet()));
        } else {
            Expr.Every ev = (Expr.Every) e;
            Term coll = term(ev.collection(), scope, ctx);
            Scope inner = new Scope(scope);
            if (ev.key() != null) {
                declarePattern(ev.key(), inner);
            }
            declarePattern(ev.value(), inner);
            Term key = ev.key() == null ? null : term(ev.key(), inner, ctx);
            Term value = term(ev.value(), inner, ctx);
            BitSet b = new BitSet();
            List<Literal> body = new ArrayList<>();
            for (Literal x : ev.body()) {
                body.add(literal(x, inner, ctx));
            }
            compiled = new Expr.Every(key, value, coll, reorder(body, b));
        }
        List<Literal.With> withs = l.withs().isEmpty() ? List.of() : new ArrayList<>();
        for (Literal.With w : l.withs()) {
            withs.add(new Literal.With(withTarget(w.target(), ctx, l.location()), withValue(w.value(), scope, ctx)));
        }
        return new Literal(compiled, l.negated(), withs, l.location());
    }

    /** {@code :=} must introduce a new variable in its body (shadowing in comprehensions is fine). */
    private static void checkNotDeclared(Term t, Scope scope, Location loc) {
        if (t instanceof Term.Var v && !v.name().startsWith("$") && scope.names.containsKey(v.name())) {
            throw new RegoException("rego_compile_error", loc, "var " + v.name() + " assigned above");
        } else if (t instanceof Term.ArrayTerm a) {
            a.elements().forEach(e -> checkNotDeclared(e, scope, loc));
        } else if (t instanceof Term.ObjectTerm o) {
            o.values().forEach(e -> checkNotDeclared(e, scope, loc));
        }
    }

    private void checkAssignable(Term t, Location loc) {
        if (t instanceof Term.Var || t instanceof Term.Const) {
            return;
        }
        if (t instanceof Term.ArrayTerm a) {
            for (Term e : a.elements()) {
                checkAssignable(e, loc);
            }
            return;
        }
        if (t instanceof Term.ObjectTerm o) {
            for (Term e : o.values()) {
                checkAssignable(e, loc);
            }
            return;
        }
        throw new RegoException("rego_parse_error", loc, "cannot assign to " + kind(t));
    }

    private static String kind(Term t) {
        if (t instanceof Term.Ref) {
            return "ref";
        }
        if (t instanceof Term.Call) {
            return "call";
        }
        return "term";
    }

    private void declarePattern(Term t, Scope scope) {
        if (t instanceof Term.Var v) {
            scope.declare(v.name());
        } else if (t instanceof Term.ArrayTerm a) {
            a.elements().forEach(e -> declarePattern(e, scope));
        } else if (t instanceof Term.ObjectTerm o) {
            o.values().forEach(e -> declarePattern(e, scope));
        }
    }

    private Term withTarget(Term t, ModuleContext ctx, Location loc) {
        List<String> names = dotted(t);
        if (names != null && (names.get(0).equals("input") || names.get(0).equals("data"))) {
            Term.Ref r = t instanceof Term.Ref ref ? ref : new Term.Ref(t, List.of(), loc);
            if (names.get(0).equals("data")) {
                List<Value> path = new ArrayList<>();
                for (int i = 1; i < names.size(); i++) {
                    path.add(StringValue.of(names.get(i)));
                }
                if (functionPaths.contains(path)) {
                    return new Term.Call(t, List.of(), loc, new CallTarget.FunctionTarget(names.subList(1, names.size())));
                }
            }
            return r;
        }
        CallTarget target = names == null ? null : resolveFunction(names, ctx);
        if (target == null) {
            throw new RegoException("rego_compile_error", loc, "with keyword target must reference existing input, data, or a function");
        }
        return new Term.Call(t, List.of(), loc, target);
    }

    private Term withValue(Term t, Scope scope, ModuleContext ctx) {
        List<String> names = dotted(t);
        if (names != null && scope.lookup(names.get(0)) == null) {
            CallTarget target = resolveFunction(names, ctx);
            if (target != null && !(target instanceof CallTarget.FunctionTarget ft && !functionPaths.contains(toValues(ft.path())))) {
                return new Term.Call(t, List.of(), null, target);
            }
            String root = names.get(0);
            if (target == null && names.size() > 1 && !root.equals("input") && !root.equals("data")
                    && !ctx.ruleNames().contains(root) && !ctx.imports().containsKey(root)) {
                throw new RegoException("rego_type_error", null, "undefined function " + String.join(".", names));
            }
        }
        return term(t, scope, ctx);
    }

    private static List<Value> toValues(List<String> path) {
        List<Value> out = new ArrayList<>();
        for (String s : path) {
            out.add(StringValue.of(s));
        }
        return out;
    }

    // ------------------------------------------------------------ terms

    Term term(Term t, Scope scope, ModuleContext ctx) {
        if (t instanceof Term.Const) {
            return t;
        }
        if (t instanceof Term.Var v) {
            return resolveVar(v, scope, ctx);
        }
        if (t instanceof Term.Ref r) {
            Term head = term(r.head(), scope, ctx);
            List<Term> path = new ArrayList<>();
            Term newHead = head;
            if (head instanceof Term.Ref hr) {
                path.addAll(hr.path());
                newHead = hr.head();
            }
            for (Term p : r.path()) {
                path.add(term(p, scope, ctx));
            }
            return new Term.Ref(newHead, path, r.location());
        }
        if (t instanceof Term.ArrayTerm a) {
            return new Term.ArrayTerm(terms(a.elements(), scope, ctx));
        }
        if (t instanceof Term.SetTerm s) {
            return new Term.SetTerm(terms(s.elements(), scope, ctx));
        }
        if (t instanceof Term.ObjectTerm o) {
            return new Term.ObjectTerm(terms(o.keys(), scope, ctx), terms(o.values(), scope, ctx));
        }
        if (t instanceof Term.ArrayCompr c) {
            Scope inner = new Scope(scope);
            List<Literal> body = compr(c.body(), inner, ctx);
            return new Term.ArrayCompr(term(c.head(), inner, ctx), body);
        }
        if (t instanceof Term.SetCompr c) {
            Scope inner = new Scope(scope);
            List<Literal> body = compr(c.body(), inner, ctx);
            return new Term.SetCompr(term(c.head(), inner, ctx), body);
        }
        if (t instanceof Term.ObjectCompr c) {
            Scope inner = new Scope(scope);
            List<Literal> body = compr(c.body(), inner, ctx);
            return new Term.ObjectCompr(term(c.key(), inner, ctx), term(c.value(), inner, ctx), body);
        }
        if (t instanceof Term.Call c) {
            List<String> names = dotted(c.operator());
            if (names == null) {
                throw new RegoException("rego_type_error", c.location(), "invalid function call");
            }
            if (scope.lookup(names.get(0)) != null) {
                throw new RegoException("rego_type_error", c.location(), "undefined function " + String.join(".", names));
            }
            CallTarget target = resolveFunction(names, ctx);
            if (target == null) {
                throw new RegoException("rego_type_error", c.location(), "undefined function " + String.join(".", names));
            }
            if (target instanceof CallTarget.BuiltinTarget bt && bt.builtin().name().startsWith("rego.metadata.") && c.args().isEmpty()) {
                if (currentRulePath == null) {
                    return new Term.Const(bt.builtin().name().endsWith("chain") ? ArrayValue.EMPTY : ObjectValue.EMPTY);
                }
                if (bt.builtin().name().endsWith("chain")) {
                    return new Term.Const(annotations.chain(ctx.pkg(), currentRulePath, currentAnnotations));
                }
                return new Term.Const(currentAnnotations == null ? ObjectValue.EMPTY : currentAnnotations);
            }
            List<Term> args = terms(c.args(), scope, ctx);
            int arity = arity(target);
            if (arity != Builtin.VARIADIC && args.size() != arity && args.size() != arity + 1) {
                String fn = target instanceof CallTarget.FunctionTarget ? target.name() : String.join(".", names);
                throw new RegoException("rego_type_error", c.location(), (args.size() > arity ? "too many" : "too few")
                        + " arguments: " + fn + ": arity mismatch: have " + args.size() + ", want " + arity);
            }
            return new Term.Call(c.operator(), args, c.location(), target);
        }
        return t;
    }

    private List<Literal> compr(List<Literal> body, Scope inner, ModuleContext ctx) {
        List<Literal> out = new ArrayList<>();
        for (Literal l : body) {
            out.add(literal(l, inner, ctx));
        }
        return reorder(out, new BitSet());
    }

    int arity(CallTarget target) {
        if (target instanceof CallTarget.BuiltinTarget b) {
            return b.builtin().arity();
        }
        Integer a = functionArity.get(toValues(((CallTarget.FunctionTarget) target).path()));
        return a == null ? Builtin.VARIADIC : a;
    }

    private List<Term> terms(List<Term> ts, Scope scope, ModuleContext ctx) {
        List<Term> out = new ArrayList<>(ts.size());
        for (Term t : ts) {
            out.add(term(t, scope, ctx));
        }
        return out;
    }

    private Term resolveVar(Term.Var v, Scope scope, ModuleContext ctx) {
        Integer slot = scope.lookup(v.name());
        if (slot != null) {
            return new Term.Local(slot, v.name());
        }
        if (v.name().equals("input") || v.name().equals("data")) {
            return new Term.Ref(v, List.of(), v.location());
        }
        if (ctx != null && ctx.ruleNames().contains(v.name())) {
            List<Term> path = new ArrayList<>();
            for (String s : ctx.pkg()) {
                path.add(new Term.Const(StringValue.of(s)));
            }
            path.add(new Term.Const(StringValue.of(v.name())));
            return new Term.Ref(new Term.Var("data", v.location()), path, v.location());
        }
        if (ctx != null && ctx.imports().containsKey(v.name())) {
            Term.Ref r = ctx.imports().get(v.name());
            return new Term.Ref(r.head(), r.path(), v.location());
        }
        return new Term.Local(scope.declare(v.name()), v.name());
    }

    /** The dotted name of a call operator or with target, or null when it is not a plain name. */
    static List<String> dotted(Term t) {
        List<String> out = new ArrayList<>();
        if (t instanceof Term.Var v) {
            out.add(v.name());
            return out;
        }
        if (t instanceof Term.Ref r && r.head() instanceof Term.Var v) {
            out.add(v.name());
            for (Term p : r.path()) {
                if (!(p instanceof Term.Const c) || !(c.value() instanceof StringValue s)) {
                    return null;
                }
                out.add(s.value());
            }
            return out;
        }
        return null;
    }

    CallTarget resolveFunction(List<String> names, ModuleContext ctx) {
        List<String> path = null;
        if (names.get(0).equals("data")) {
            path = names.subList(1, names.size());
        } else if (ctx != null && ctx.imports().containsKey(names.get(0))) {
            Term.Ref r = ctx.imports().get(names.get(0));
            List<String> base = dotted(r);
            if (base != null && base.get(0).equals("data")) {
                path = new ArrayList<>(base.subList(1, base.size()));
                path.addAll(names.subList(1, names.size()));
            }
        } else if (ctx != null && ctx.ruleNames().contains(names.get(0))) {
            path = new ArrayList<>(ctx.pkg());
            path.addAll(names);
        }
        if (path != null && functionPaths.contains(toValues(path))) {
            return new CallTarget.FunctionTarget(List.copyOf(path));
        }
        Builtin b = builtins.lookup(String.join(".", names));
        if (b != null) {
            return new CallTarget.BuiltinTarget(b);
        }
        return null;
    }

    // ------------------------------------------------------------ safety

    /**
     * Rejects variables that nothing can bind (only read by calls, negations or the head), like
     * OPA's rego_unsafe_var_error. Ordering problems are left to {@link #reorder}.
     */
    private void checkSafety(List<Literal> body, List<Term> head, BitSet argsBound, Scope scope, Location loc) {
        BitSet all = new BitSet();
        for (Literal l : body) {
            collectLocals(l, all);
        }
        for (Term t : head) {
            collectTermLocals(t, all);
        }
        BitSet bindable = (BitSet) argsBound.clone();
        collectBindable(body, bindable);
        for (Term t : head) {
            collectComprehensionBindable(t, bindable);
        }
        all.andNot(bindable);
        for (int slot = all.nextSetBit(0); slot >= 0; slot = all.nextSetBit(slot + 1)) {
            String name = scope.slotNames.get(slot);
            if (name != null && !name.startsWith("$")) {
                throw new RegoException("rego_unsafe_var_error", loc, "var " + name + " is unsafe");
            }
        }
    }

    private void collectBindable(List<Literal> body, BitSet out) {
        for (Literal l : body) {
            if (l.expr() instanceof Expr.Every ev) {
                if (ev.key() != null) {
                    collectTermLocals(ev.key(), out);
                }
                collectTermLocals(ev.value(), out);
                collectBindable(ev.body(), out);
                continue;
            }
            if (l.expr() instanceof Expr.Block b) {
                collectBindable(b.body(), out);
                continue;
            }
            BitSet locals = new BitSet();
            collectLocals(l, locals);
            if (!l.negated()) {
                BitSet need = needed(l);
                locals.andNot(need);
                out.or(locals);
            }
            Expr e = l.expr();
            if (e instanceof Expr.TermExpr t) {
                collectComprehensionBindable(t.term(), out);
            } else if (e instanceof Expr.Unify u) {
                collectComprehensionBindable(u.left(), out);
                collectComprehensionBindable(u.right(), out);
            } else if (e instanceof Expr.SomeIn s) {
                collectComprehensionBindable(s.collection(), out);
            }
        }
    }

    private void collectComprehensionBindable(Term t, BitSet out) {
        if (t instanceof Term.ArrayCompr c) {
            collectBindable(c.body(), out);
        } else if (t instanceof Term.SetCompr c) {
            collectBindable(c.body(), out);
        } else if (t instanceof Term.ObjectCompr c) {
            collectBindable(c.body(), out);
        } else if (t instanceof Term.Call c) {
            c.args().forEach(a -> collectComprehensionBindable(a, out));
        } else if (t instanceof Term.Ref r) {
            collectComprehensionBindable(r.head(), out);
            r.path().forEach(a -> collectComprehensionBindable(a, out));
        } else if (t instanceof Term.ArrayTerm a) {
            a.elements().forEach(e -> collectComprehensionBindable(e, out));
        } else if (t instanceof Term.SetTerm s) {
            s.elements().forEach(e -> collectComprehensionBindable(e, out));
        } else if (t instanceof Term.ObjectTerm o) {
            o.keys().forEach(e -> collectComprehensionBindable(e, out));
            o.values().forEach(e -> collectComprehensionBindable(e, out));
        }
    }

    // ------------------------------------------------------------ safety ordering

    /**
     * Orders a body so that variables are bound before calls, negations and comprehensions read
     * them (OPA reorders the same way); literals that are already safe keep their order.
     */
    List<Literal> reorder(List<Literal> body, BitSet initiallyBound) {
        if (body.size() < 2) {
            return body;
        }
        BitSet bound = (BitSet) initiallyBound.clone();
        List<Literal> remaining = new ArrayList<>(body);
        List<Literal> out = new ArrayList<>(body.size());
        while (!remaining.isEmpty()) {
            int pick = -1;
            for (int i = 0; i < remaining.size(); i++) {
                BitSet needed = needed(remaining.get(i));
                needed.andNot(bound);
                if (needed.isEmpty()) {
                    pick = i;
                    break;
                }
            }
            if (pick < 0) {
                out.addAll(remaining);
                return out;
            }
            Literal l = remaining.remove(pick);
            out.add(l);
            collectLocals(l, bound);
        }
        return out;
    }

    /** Slots a literal reads without being able to bind them. */
    private BitSet needed(Literal l) {
        BitSet needed = new BitSet();
        if (l.negated() || l.expr() instanceof Expr.Every) {
            collectLocals(l, needed);
            if (l.expr() instanceof Expr.Every ev) {
                BitSet own = new BitSet();
                if (ev.key() != null) {
                    collectTermLocals(ev.key(), own);
                }
                collectTermLocals(ev.value(), own);
                collectDeclared(ev.body(), own);
                needed.andNot(own);
            }
            return needed;
        }
        Expr e = l.expr();
        if (e instanceof Expr.TermExpr t) {
            neededIn(t.term(), needed, true);
        } else if (e instanceof Expr.Unify u) {
            neededIn(u.left(), needed, true);
            neededIn(u.right(), needed, true);
        } else if (e instanceof Expr.SomeIn s) {
            neededIn(s.collection(), needed, true);
        }
        for (Literal.With w : l.withs()) {
            collectTermLocals(w.value(), needed);
        }
        return needed;
    }

    private void neededIn(Term t, BitSet needed, boolean top) {
        if (t instanceof Term.Call c) {
            int n = c.args().size();
            int arity = c.target() == null ? -2 : arity(c.target());
            for (int i = 0; i < n; i++) {
                Term a = c.args().get(i);
                boolean output = top && arity >= 0 && i == arity;
                if (output) {
                    neededIn(a, needed, false);
                } else {
                    collectInputs(a, needed);
                }
            }
        } else if (t instanceof Term.Ref r) {
            neededIn(r.head(), needed, false);
            for (Term p : r.path()) {
                neededIn(p, needed, false);
            }
        } else if (t instanceof Term.ArrayTerm a) {
            a.elements().forEach(e -> neededIn(e, needed, false));
        } else if (t instanceof Term.SetTerm s) {
            s.elements().forEach(e -> collectInputs(e, needed));
        } else if (t instanceof Term.ObjectTerm o) {
            o.keys().forEach(e -> collectInputs(e, needed));
            o.values().forEach(e -> neededIn(e, needed, false));
        } else if (t instanceof Term.ArrayCompr || t instanceof Term.SetCompr || t instanceof Term.ObjectCompr) {
            collectComprehensionFree(t, needed);
        }
    }

    /** Call arguments: refs inside may still bind their own variables; plain variables are inputs. */
    private void collectInputs(Term t, BitSet needed) {
        if (t instanceof Term.Local l) {
            needed.set(l.slot());
        } else if (t instanceof Term.Ref || t instanceof Term.Call) {
            neededIn(t, needed, false);
            if (t instanceof Term.Ref r && r.head() instanceof Term.Local l) {
                needed.set(l.slot());
            }
        } else if (t instanceof Term.ArrayTerm a) {
            a.elements().forEach(e -> collectInputs(e, needed));
        } else if (t instanceof Term.SetTerm s) {
            s.elements().forEach(e -> collectInputs(e, needed));
        } else if (t instanceof Term.ObjectTerm o) {
            o.keys().forEach(e -> collectInputs(e, needed));
            o.values().forEach(e -> collectInputs(e, needed));
        } else if (t instanceof Term.ArrayCompr || t instanceof Term.SetCompr || t instanceof Term.ObjectCompr) {
            collectComprehensionFree(t, needed);
        }
    }

    /** Outer variables a comprehension reads: those it uses but whose every use it cannot bind itself. */
    private void collectComprehensionFree(Term t, BitSet needed) {
        BitSet all = new BitSet();
        collectTermLocals(t, all);
        BitSet own = new BitSet();
        List<Literal> body = t instanceof Term.ArrayCompr a ? a.body() : t instanceof Term.SetCompr s ? s.body() : ((Term.ObjectCompr) t).body();
        collectDeclared(body, own);
        all.andNot(own);
        needed.or(all);
    }

    /** Slots that a body can bind (not counting outer variables it only reads). */
    private void collectDeclared(List<Literal> body, BitSet own) {
        BitSet bound = new BitSet();
        for (Literal l : body) {
            if (l.negated()) {
                continue;
            }
            BitSet all = new BitSet();
            collectLocals(l, all);
            BitSet need = needed(l);
            all.andNot(need);
            bound.or(all);
        }
        own.or(bound);
    }

    static void collectLocals(Literal l, BitSet out) {
        Expr e = l.expr();
        if (e instanceof Expr.TermExpr t) {
            collectTermLocals(t.term(), out);
        } else if (e instanceof Expr.Unify u) {
            collectTermLocals(u.left(), out);
            collectTermLocals(u.right(), out);
        } else if (e instanceof Expr.SomeIn s) {
            if (s.key() != null) {
                collectTermLocals(s.key(), out);
            }
            collectTermLocals(s.value(), out);
            collectTermLocals(s.collection(), out);
        } else if (e instanceof Expr.Block b) {
            b.body().forEach(x -> collectLocals(x, out));
        } else if (e instanceof Expr.Every ev) {
            collectTermLocals(ev.collection(), out);
            for (Literal x : ev.body()) {
                collectLocals(x, out);
            }
        }
        for (Literal.With w : l.withs()) {
            collectTermLocals(w.value(), out);
        }
    }

    static void collectTermLocals(Term t, BitSet out) {
        if (t instanceof Term.Local l) {
            out.set(l.slot());
        } else if (t instanceof Term.Ref r) {
            collectTermLocals(r.head(), out);
            r.path().forEach(p -> collectTermLocals(p, out));
        } else if (t instanceof Term.Call c) {
            c.args().forEach(a -> collectTermLocals(a, out));
        } else if (t instanceof Term.ArrayTerm a) {
            a.elements().forEach(e -> collectTermLocals(e, out));
        } else if (t instanceof Term.SetTerm s) {
            s.elements().forEach(e -> collectTermLocals(e, out));
        } else if (t instanceof Term.ObjectTerm o) {
            o.keys().forEach(e -> collectTermLocals(e, out));
            o.values().forEach(e -> collectTermLocals(e, out));
        } else if (t instanceof Term.ArrayCompr c) {
            collectTermLocals(c.head(), out);
            c.body().forEach(l -> collectLocals(l, out));
        } else if (t instanceof Term.SetCompr c) {
            collectTermLocals(c.head(), out);
            c.body().forEach(l -> collectLocals(l, out));
        } else if (t instanceof Term.ObjectCompr c) {
            collectTermLocals(c.key(), out);
            collectTermLocals(c.value(), out);
            c.body().forEach(l -> collectLocals(l, out));
        }
    }

    /** Compiles a query body against the given package context (none: only data/input/builtins). */
    CompiledQuery compileQuery(List<Literal> body) {
        Scope scope = new Scope(null);
        ModuleContext ctx = new ModuleContext(null, List.of(), Map.of(), Set.of());
        List<Literal> compiled = body(body, scope, ctx, new BitSet());
        List<String> names = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (Map.Entry<String, Integer> e : scope.names.entrySet()) {
            if (!e.getKey().startsWith("$")) {
                names.add(e.getKey());
                slots.add(e.getValue());
            }
        }
        return new CompiledQuery(compiled, scope.counter[0], names, slots, Map.copyOf(scope.names));
    }

    /** A compiled query: its body, frame size, the named variables reported in results, and every slot by name. */
    record CompiledQuery(List<Literal> body, int frameSize, List<String> varNames, List<Integer> varSlots, Map<String, Integer> allSlots) {
    }
}
