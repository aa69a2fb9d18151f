package dev.gatehouse.rego.ast;

import dev.gatehouse.rego.value.StringValue;
import java.util.List;

/**
 * Which parts of {@code input} parsed modules may read, decided from the source alone and erring
 * on "may": a reference whose path could reach the asked path (a variable or computed key where a
 * name is asked for, or a reference to an enclosing object such as bare {@code input}) counts as a
 * read, and so does an import or {@code with} target on it. Only a reference that provably names
 * another key is not a read. So "does not read" is sound; "reads" may be a false alarm.
 */
public final class InputReads {

    private InputReads() {
    }

    /** Whether any rule, import or expression of {@code modules} may read {@code input.<path>}. */
    public static boolean mayRead(List<Module> modules, List<String> path) {
        for (Module module : modules) {
            for (Module.Import imp : module.imports()) {
                if (isInput(imp.path().get(0)) && reaches(imp.path().subList(1, imp.path().size()), path)) {
                    return true;
                }
            }
            for (Rule rule : module.rules()) {
                if (rule(rule, path)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean rule(Rule rule, List<String> path) {
        for (Rule r = rule; r != null; r = r.elseRule()) {
            if (terms(r.head(), path) || r.args() != null && terms(r.args(), path) || term(r.key(), path) || term(r.value(), path)
                    || body(r.body(), path)) {
                return true;
            }
        }
        return false;
    }

    private static boolean body(List<Literal> body, List<String> path) {
        if (body == null) {
            return false;
        }
        for (Literal literal : body) {
            if (expr(literal.expr(), path)) {
                return true;
            }
            for (Literal.With with : literal.withs()) {
                if (term(with.target(), path) || term(with.value(), path)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean expr(Expr expr, List<String> path) {
        if (expr instanceof Expr.TermExpr t) {
            return term(t.term(), path);
        } else if (expr instanceof Expr.Unify u) {
            return term(u.left(), path) || term(u.right(), path);
        } else if (expr instanceof Expr.SomeDecl s) {
            return s.vars().stream().anyMatch(v -> term(v, path));
        } else if (expr instanceof Expr.SomeIn s) {
            return term(s.key(), path) || term(s.value(), path) || term(s.collection(), path);
        } else if (expr instanceof Expr.Block b) {
            return body(b.body(), path);
        } else if (expr instanceof Expr.Every e) {
            return term(e.key(), path) || term(e.value(), path) || term(e.collection(), path) || body(e.body(), path);
        }
        return true;
    }

    private static boolean terms(List<Term> terms, List<String> path) {
        return terms.stream().anyMatch(t -> term(t, path));
    }

    private static boolean term(Term term, List<String> path) {
        if (term == null || term instanceof Term.Const || term instanceof Term.Local) {
            return false;
        } else if (term instanceof Term.Var) {
            // Bare input: the whole document, handed on where this walk cannot follow it.
            return isInput(term);
        } else if (term instanceof Term.Ref r) {
            if (isInput(r.head()) && reaches(r.path(), path)) {
                return true;
            }
            return !isInput(r.head()) && term(r.head(), path) || terms(r.path(), path);
        } else if (term instanceof Term.ArrayTerm a) {
            return terms(a.elements(), path);
        } else if (term instanceof Term.SetTerm s) {
            return terms(s.elements(), path);
        } else if (term instanceof Term.ObjectTerm o) {
            return terms(o.keys(), path) || terms(o.values(), path);
        } else if (term instanceof Term.ArrayCompr c) {
            return term(c.head(), path) || body(c.body(), path);
        } else if (term instanceof Term.SetCompr c) {
            return term(c.head(), path) || body(c.body(), path);
        } else if (term instanceof Term.ObjectCompr c) {
            return term(c.key(), path) || term(c.value(), path) || body(c.body(), path);
        } else if (term instanceof Term.Call c) {
            return term(c.operator(), path) || terms(c.args(), path);
        }
        return true;
    }

    private static boolean isInput(Term term) {
        return term instanceof Term.Var v && v.name().equals("input")
                || term instanceof Term.Const c && c.value() instanceof StringValue s && s.value().equals("input");
    }

    /** Whether a reference below input with these keys may overlap {@code input.<path>}: no key provably differs. */
    private static boolean reaches(List<Term> keys, List<String> path) {
        for (int i = 0; i < Math.min(keys.size(), path.size()); i++) {
            if (keys.get(i) instanceof Term.Const c && !(c.value() instanceof StringValue s && s.value().equals(path.get(i)))) {
                return false;
            }
        }
        return true;
    }
}
