package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.ast.Expr;
import dev.gatehouse.rego.ast.Literal;
import dev.gatehouse.rego.ast.Module;
import dev.gatehouse.rego.ast.Rule;
import dev.gatehouse.rego.ast.Term;
import dev.gatehouse.rego.parser.RegoParseException;
import dev.gatehouse.rego.parser.RegoParser;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * rego.parse_module: parses Rego v1 source and returns the module as OPA's AST JSON (without
 * locations, as OPA marshals it by default): {@code package.path}, {@code imports},
 * {@code rules[].head} (name, ref, args, key, value, assign) and {@code rules[].body} as expressions
 * with {@code index} and {@code terms}, every term as {@code {"type": ..., "value": ...}}.
 */
final class RegoModuleBuiltins {

    private static final Value TRUE_TERM = term("boolean", BooleanValue.TRUE);

    private RegoModuleBuiltins() {
    }

    static void register(BuiltinRegistry r) {
        r.register("rego.parse_module", 2, (a, c) -> {
            String file = Operands.string(a, 0);
            String source = Operands.string(a, 1);
            c.charge(source.length() / 64 + 1);
            Module module;
            try {
                module = RegoParser.parseModule(file, source, false);
            } catch (RegoParseException e) {
                throw BuiltinException.error(e.getMessage());
            }
            return moduleJson(module);
        });
    }

    private static Value moduleJson(Module m) {
        List<Value> path = new ArrayList<>();
        path.add(term("var", StringValue.of("data")));
        for (String segment : m.pkg()) {
            path.add(term("string", StringValue.of(segment)));
        }
        ObjectValue.Builder out = ObjectValue.builder().put("package", ObjectValue.builder().put("path", ArrayValue.of(path)).build());
        List<Value> imports = new ArrayList<>();
        for (Module.Import i : m.imports()) {
            ObjectValue.Builder imp = ObjectValue.builder().put("path", refJson(i.path()));
            Term last = i.path().get(i.path().size() - 1);
            String defaultAlias = last instanceof Term.Const c && c.value() instanceof StringValue s ? s.value()
                    : last instanceof Term.Var v ? v.name() : null;
            if (i.alias() != null && !i.alias().equals(defaultAlias)) {
                imp.put("alias", StringValue.of(i.alias()));
            }
            imports.add(imp.build());
        }
        if (!imports.isEmpty()) {
            out.put("imports", ArrayValue.of(imports));
        }
        List<Value> rules = new ArrayList<>();
        for (Rule rule : m.rules()) {
            rules.add(ruleJson(rule, rule));
        }
        if (!rules.isEmpty()) {
            out.put("rules", ArrayValue.of(rules));
        }
        return out.build();
    }

    /** A rule; an else branch shares its parent's head apart from the value. */
    private static Value ruleJson(Rule rule, Rule parent) {
        ObjectValue.Builder head = ObjectValue.builder();
        List<Value> ref = new ArrayList<>();
        for (int i = 0; i < parent.head().size(); i++) {
            Term t = parent.head().get(i);
            ref.add(i == 0 ? term("var", StringValue.of(parent.name())) : termJson(t));
        }
        if (parent.head().size() == 1) {
            head.put("name", StringValue.of(parent.name()));
        }
        if (parent.args() != null) {
            head.put("args", ArrayValue.of(parent.args().stream().map(RegoModuleBuiltins::termJson).toList()));
        }
        if (rule == parent && parent.key() != null) {
            head.put("key", termJson(parent.key()));
        }
        if (rule.value() != null) {
            head.put("value", termJson(rule.value()));
        } else if (rule != parent || parent.key() == null) {
            head.put("value", TRUE_TERM);
        }
        if (rule.assign()) {
            head.put("assign", BooleanValue.TRUE);
        }
        head.put("ref", ArrayValue.of(ref));
        ObjectValue.Builder out = ObjectValue.builder().put("head", head.build()).put("body", bodyJson(rule.body()));
        if (rule.isDefault()) {
            out.put("default", BooleanValue.TRUE);
        }
        if (rule.elseRule() != null) {
            out.put("else", ruleJson(rule.elseRule(), parent));
        }
        return out.build();
    }

    /** An empty body is OPA's {@code true}. */
    private static Value bodyJson(List<Literal> body) {
        if (body.isEmpty()) {
            return ArrayValue.of(ObjectValue.builder().put("index", NumberValue.of(0)).put("terms", TRUE_TERM).build());
        }
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            out.add(literalJson(body.get(i), i));
        }
        return ArrayValue.of(out);
    }

    private static Value literalJson(Literal l, int index) {
        ObjectValue.Builder e = ObjectValue.builder().put("index", NumberValue.of(index)).put("terms", exprTerms(l.expr()));
        if (l.negated()) {
            e.put("negated", BooleanValue.TRUE);
        }
        if (l.withs() != null && !l.withs().isEmpty()) {
            e.put("with", ArrayValue.of(l.withs().stream().<Value>map(w -> ObjectValue.builder()
                    .put("target", termJson(w.target())).put("value", termJson(w.value())).build()).toList()));
        }
        return e.build();
    }

    private static Value exprTerms(Expr expr) {
        if (expr instanceof Expr.TermExpr t && t.term() instanceof Term.Call call) {
            List<Value> terms = new ArrayList<>();
            terms.add(operatorJson(call.operator()));
            call.args().forEach(a -> terms.add(termJson(a)));
            return ArrayValue.of(terms);
        }
        if (expr instanceof Expr.TermExpr t) {
            return termJson(t.term());
        }
        if (expr instanceof Expr.Unify u) {
            return ArrayValue.of(operatorJson(new Term.Var(u.declare() ? "assign" : "eq", null)), termJson(u.left()), termJson(u.right()));
        }
        if (expr instanceof Expr.SomeDecl s) {
            return ObjectValue.builder().put("symbols", ArrayValue.of(s.vars().stream().map(RegoModuleBuiltins::termJson).toList())).build();
        }
        if (expr instanceof Expr.SomeIn s) {
            List<Value> call = new ArrayList<>();
            call.add(operatorJson(new Term.Var(s.key() == null ? "internal.member_2" : "internal.member_3", null)));
            if (s.key() != null) {
                call.add(termJson(s.key()));
            }
            call.add(termJson(s.value()));
            call.add(termJson(s.collection()));
            return ObjectValue.builder().put("symbols", ArrayValue.of(term("call", ArrayValue.of(call)))).build();
        }
        if (expr instanceof Expr.Every ev) {
            return ObjectValue.builder()
                    .put("key", ev.key() == null ? NullValue.NULL : termJson(ev.key()))
                    .put("value", termJson(ev.value()))
                    .put("domain", termJson(ev.collection()))
                    .put("body", bodyJson(ev.body())).build();
        }
        List<Literal> block = ((Expr.Block) expr).body();
        return block.isEmpty() ? TRUE_TERM : exprTerms(block.get(0).expr());
    }

    /** A function name as OPA writes operators: a ref whose head is a var, dotted parts strings. */
    private static Value operatorJson(Term operator) {
        if (operator instanceof Term.Var v) {
            String[] parts = v.name().split("\\.");
            List<Value> ref = new ArrayList<>();
            ref.add(term("var", StringValue.of(parts[0])));
            for (int i = 1; i < parts.length; i++) {
                ref.add(term("string", StringValue.of(parts[i])));
            }
            return term("ref", ArrayValue.of(ref));
        }
        return termJson(operator);
    }

    private static Value refJson(List<Term> path) {
        List<Value> ref = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            Term t = path.get(i);
            ref.add(i == 0 && t instanceof Term.Const c && c.value() instanceof StringValue s ? term("var", s) : termJson(t));
        }
        return term("ref", ArrayValue.of(ref));
    }

    static Value termJson(Term t) {
        if (t instanceof Term.Const c) {
            return valueJson(c.value());
        }
        if (t instanceof Term.Var v) {
            return term("var", StringValue.of(varName(v.name())));
        }
        if (t instanceof Term.Local l) {
            return term("var", StringValue.of(varName(l.name())));
        }
        if (t instanceof Term.Ref r) {
            List<Value> parts = new ArrayList<>();
            parts.add(termJson(r.head()));
            r.path().forEach(p -> parts.add(termJson(p)));
            return term("ref", ArrayValue.of(parts));
        }
        if (t instanceof Term.ArrayTerm a) {
            return term("array", ArrayValue.of(a.elements().stream().map(RegoModuleBuiltins::termJson).toList()));
        }
        if (t instanceof Term.SetTerm s) {
            return term("set", ArrayValue.of(s.elements().stream().map(RegoModuleBuiltins::termJson).toList()));
        }
        if (t instanceof Term.ObjectTerm o) {
            List<Value> items = new ArrayList<>();
            for (int i = 0; i < o.keys().size(); i++) {
                items.add(ArrayValue.of(termJson(o.keys().get(i)), termJson(o.values().get(i))));
            }
            return term("object", ArrayValue.of(items));
        }
        if (t instanceof Term.ArrayCompr c) {
            return term("arraycomprehension", ObjectValue.builder().put("term", termJson(c.head())).put("body", bodyJson(c.body())).build());
        }
        if (t instanceof Term.SetCompr c) {
            return term("setcomprehension", ObjectValue.builder().put("term", termJson(c.head())).put("body", bodyJson(c.body())).build());
        }
        if (t instanceof Term.ObjectCompr c) {
            return term("objectcomprehension", ObjectValue.builder()
                    .put("key", termJson(c.key())).put("value", termJson(c.value())).put("body", bodyJson(c.body())).build());
        }
        Term.Call call = (Term.Call) t;
        List<Value> parts = new ArrayList<>();
        parts.add(operatorJson(call.operator()));
        call.args().forEach(a -> parts.add(termJson(a)));
        return term("call", ArrayValue.of(parts));
    }

    /** The parser names wildcards {@code $_N}; OPA names them {@code $N}. */
    private static String varName(String name) {
        return name.startsWith("$_") ? "$" + name.substring(2) : name;
    }

    /** A constant as OPA's term JSON; sets and objects in OPA's sorted order. */
    private static Value valueJson(Value v) {
        if (v instanceof ArrayValue a) {
            return term("array", ArrayValue.of(a.elements().stream().map(RegoModuleBuiltins::valueJson).toList()));
        }
        if (v instanceof SetValue s) {
            return term("set", ArrayValue.of(s.sorted().stream().map(RegoModuleBuiltins::valueJson).toList()));
        }
        if (v instanceof ObjectValue o) {
            List<Value> items = new ArrayList<>();
            for (Value k : o.sortedKeys()) {
                items.add(ArrayValue.of(valueJson(k), valueJson(o.get(k))));
            }
            return term("object", ArrayValue.of(items));
        }
        return term(v.typeName(), v);
    }

    private static Value term(String type, Value value) {
        return ObjectValue.of(Map.of(StringValue.of("type"), StringValue.of(type), StringValue.of("value"), value));
    }
}
