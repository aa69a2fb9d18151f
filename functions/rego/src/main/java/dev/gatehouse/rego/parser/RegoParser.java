package dev.gatehouse.rego.parser;

import dev.gatehouse.rego.ast.Expr;
import dev.gatehouse.rego.ast.Literal;
import dev.gatehouse.rego.ast.Location;
import dev.gatehouse.rego.ast.Module;
import dev.gatehouse.rego.ast.Rule;
import dev.gatehouse.rego.ast.Term;
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
import java.util.Set;

/**
 * Recursive-descent parser for Rego modules and queries, v1 syntax (OPA 1.x default) or v0
 * syntax ({@code --v0-compatible}; keywords then come from {@code future.keywords} or {@code rego.v1}).
 */
public final class RegoParser {

    /** Bounds that keep untrusted sources from exhausting the stack or memory. */
    public static final int MAX_NESTING = 200;
    public static final int MAX_SOURCE_CHARS = 8 * 1024 * 1024;

    private static final Set<String> V1_KEYWORDS = Set.of("if", "contains", "in", "every");

    private final String file;
    private final List<Token> toks;
    private final List<Lexer.Comment> comments;
    private int p;
    private boolean v1;
    private final java.util.HashSet<String> keywords = new java.util.HashSet<>();
    private boolean newlineEnds = true;
    private int depth;
    private int wildcards;
    private boolean noPipe;
    private boolean notBlocks;

    private RegoParser(String file, String src, boolean v1) throws RegoParseException {
        if (src.length() > MAX_SOURCE_CHARS) {
            throw new RegoParseException(file, 1, 1, "module too large");
        }
        Lexer lx = new Lexer(file, src);
        this.toks = lx.run();
        this.comments = lx.comments;
        this.file = file;
        this.v1 = v1;
        if (v1) {
            keywords.addAll(V1_KEYWORDS);
        }
    }

    /** Parses a module in v1 syntax, or v0 when {@code v0Compatible}. */
    public static Module parseModule(String file, String src, boolean v0Compatible) throws RegoParseException {
        RegoParser ps = new RegoParser(file, src, !v0Compatible);
        return ps.module();
    }

    /** Parses a query (a body without braces). */
    public static List<Literal> parseQuery(String src) throws RegoParseException {
        RegoParser ps = new RegoParser("query", src, true);
        ps.newlineEnds = true;
        List<Literal> body = ps.bodyUntil(null);
        if (ps.peek().kind() != Token.Kind.EOF) {
            throw ps.err(ps.peek(), "unexpected " + ps.describe(ps.peek()));
        }
        if (body.isEmpty()) {
            throw ps.err(ps.peek(), "empty query");
        }
        return body;
    }

    /** Parses a single term such as an {@code input_term} ({@code {"a": {1, 2}}}). */
    public static Term parseTerm(String src) throws RegoParseException {
        RegoParser ps = new RegoParser("term", src, true);
        ps.newlineEnds = false;
        Term t = ps.expression();
        if (ps.peek().kind() != Token.Kind.EOF) {
            throw ps.err(ps.peek(), "unexpected " + ps.describe(ps.peek()));
        }
        return t;
    }

    // ---------------------------------------------------------------- module

    private Module module() throws RegoParseException {
        Token t = peek();
        if (!t.is("package")) {
            throw err(t, "package expected");
        }
        next();
        List<String> pkg = new ArrayList<>();
        Term ref = term();
        for (Term seg : refSegments(ref, t)) {
            if (!(seg instanceof Term.Const c) || !(c.value() instanceof StringValue s)) {
                throw err(t, "package path must be made of names");
            }
            pkg.add(s.value());
        }
        if (pkg.get(0).equals("data")) {
            pkg.remove(0);
        }
        List<Module.Import> imports = new ArrayList<>();
        while (peek().is("import")) {
            imports.add(importDecl());
        }
        List<Rule> rules = new ArrayList<>();
        while (peek().kind() != Token.Kind.EOF) {
            rules.addAll(rule());
        }
        List<Module.Annotation> annotations = new ArrayList<>();
        collectAnnotations(annotations);
        return new Module(file, List.copyOf(pkg), imports, rules, annotations, v1 ? 1 : 0, t.line());
    }

    /** The path of a ref written with a var head (package a.b, import data.x) as name segments. */
    private List<Term> refSegments(Term ref, Token at) throws RegoParseException {
        List<Term> out = new ArrayList<>();
        if (ref instanceof Term.Var v) {
            out.add(new Term.Const(StringValue.of(v.name())));
            return out;
        }
        if (ref instanceof Term.Ref r && r.head() instanceof Term.Var v) {
            out.add(new Term.Const(StringValue.of(v.name())));
            out.addAll(r.path());
            return out;
        }
        throw err(at, "expected a reference");
    }

    private Module.Import importDecl() throws RegoParseException {
        Token t = next();
        Term ref = term();
        List<Term> path = refSegments(ref, t);
        String root = ((StringValue) ((Term.Const) path.get(0)).value()).value();
        if (!root.equals("data") && !root.equals("input") && !root.equals("future") && !root.equals("rego")) {
            throw err(t, "invalid path " + ref + ": path must begin with input, data, future or rego");
        }
        if (root.equals("future") && path.size() >= 2 && str(path.get(1)).equals("keywords")) {
            if (path.size() == 2) {
                keywords.addAll(V1_KEYWORDS);
            } else {
                String kw = str(path.get(2));
                if (V1_KEYWORDS.contains(kw)) {
                    keywords.add(kw);
                }
                if (kw.equals("every")) {
                    keywords.add("in");
                }
                notBlocks |= kw.equals("not");
            }
        } else if (root.equals("rego")) {
            if (path.size() == 2 && (str(path.get(1)).equals("v1") || str(path.get(1)).equals("v2"))) {
                keywords.addAll(V1_KEYWORDS);
                notBlocks |= str(path.get(1)).equals("v2");
            } else {
                throw err(t, "invalid import, must be rego.v1");
            }
        }
        String alias = null;
        if (peek().is("as") && !peek().newline()) {
            next();
            alias = ident("alias").text();
        }
        if (alias == null) {
            alias = str(path.get(path.size() - 1));
        }
        return new Module.Import(path, alias, loc(t));
    }

    private static String str(Term t) {
        if (t instanceof Term.Const c && c.value() instanceof StringValue s) {
            return s.value();
        }
        return String.valueOf(t);
    }

    private void collectAnnotations(List<Module.Annotation> out) {
        for (int i = 0; i < comments.size(); i++) {
            Lexer.Comment c = comments.get(i);
            if (!c.text().strip().equals("METADATA")) {
                continue;
            }
            StringBuilder yaml = new StringBuilder();
            int line = c.line();
            int j = i + 1;
            while (j < comments.size() && comments.get(j).line() == line + 1) {
                String text = comments.get(j).text();
                yaml.append(text.startsWith(" ") ? text.substring(1) : text).append('\n');
                line++;
                j++;
            }
            out.add(new Module.Annotation(yaml.toString(), new Location(file, c.line(), c.column())));
            i = j - 1;
        }
    }

    // ---------------------------------------------------------------- rules

    private List<Rule> rule() throws RegoParseException {
        Token start = peek();
        boolean isDefault = false;
        if (start.is("default")) {
            next();
            isDefault = true;
        }
        Token nameTok = peek();
        if (nameTok.kind() != Token.Kind.IDENT || isKeyword(nameTok.text())) {
            throw err(nameTok, "unexpected " + describe(nameTok) + ", expected rule");
        }
        next();
        List<Term> head = new ArrayList<>();
        head.add(new Term.Const(StringValue.of(nameTok.text())));
        boolean saved = newlineEnds;
        newlineEnds = false;
        while (!peek().newline() && (peek().is(".") || peek().is("["))) {
            if (next().is(".")) {
                head.add(new Term.Const(StringValue.of(ident("name").text())));
            } else {
                head.add(expression());
                expect("]");
            }
        }
        List<Term> args = null;
        if (peek().is("(") && !peek().spaced()) {
            next();
            args = arguments();
        }
        newlineEnds = saved;
        Term key = null;
        Term value = null;
        if (peek().is("contains") && keywords.contains("contains")) {
            next();
            key = expression();
        }
        boolean assign = false;
        if (key == null && (peek().is(":=") || peek().is("="))) {
            assign = next().is(":=");
            value = expression();
        }
        Location loc = loc(isDefault ? start : nameTok);
        if (isDefault) {
            if (value == null) {
                throw err(start, "default rule must have a value");
            }
            if (head.size() > 1 && !(head.get(head.size() - 1) instanceof Term.Const)) {
                throw err(start, "default rules must not have variables in their reference");
            }
            return List.of(new Rule(loc, head, args, null, value, true, List.of(), null, assign));
        }
        if (key == null && value == null && args == null && head.size() > 1 && !v1) {
            key = head.remove(head.size() - 1);
        }
        List<List<Literal>> bodies = new ArrayList<>();
        boolean sawIf = false;
        if (peek().is("if") && keywords.contains("if")) {
            next();
            sawIf = true;
            bodies.add(ruleBody());
        } else if (peek().is("{")) {
            if (v1) {
                throw err(peek(), "`if` keyword is required before rule body");
            }
            bodies.add(bracedBody());
            while (peek().is("{") && !keywords.contains("if")) {
                bodies.add(bracedBody());
            }
        } else {
            bodies.add(List.of());
        }
        if (v1 && key == null && value == null && args == null && bodies.get(0).isEmpty() && !sawIf && head.size() == 1) {
            throw err(nameTok, "rule must have a value or a body");
        }
        Rule elseRule = null;
        List<Rule> elses = new ArrayList<>();
        while (peek().is("else")) {
            Token e = next();
            Term ev = null;
            boolean elseAssign = false;
            if (peek().is("=") || peek().is(":=")) {
                elseAssign = next().is(":=");
                ev = expression();
            }
            List<Literal> eb;
            if (peek().is("if") && keywords.contains("if")) {
                next();
                eb = ruleBody();
            } else if (peek().is("{")) {
                eb = bracedBody();
            } else {
                eb = List.of();
            }
            elses.add(new Rule(loc(e), head, args, null, ev, false, eb, null, elseAssign));
        }
        for (int i = elses.size() - 1; i >= 0; i--) {
            Rule r = elses.get(i);
            elseRule = new Rule(r.location(), r.head(), r.args(), null, r.value(), false, r.body(), elseRule, r.assign());
        }
        List<Rule> out = new ArrayList<>();
        for (List<Literal> body : bodies) {
            out.add(new Rule(loc, head, args, key, value, false, body, elseRule, assign));
        }
        return out;
    }

    private List<Literal> ruleBody() throws RegoParseException {
        if (peek().is("{")) {
            int save = p;
            boolean savedNl = newlineEnds;
            try {
                return bracedBody();
            } catch (RegoParseException bodyError) {
                p = save;
                newlineEnds = true;
                try {
                    List<Literal> single = new ArrayList<>();
                    single.add(literal());
                    return single;
                } catch (RegoParseException termError) {
                    throw bodyError;
                } finally {
                    newlineEnds = savedNl;
                }
            }
        }
        boolean saved = newlineEnds;
        newlineEnds = true;
        try {
            List<Literal> body = new ArrayList<>();
            body.add(literal());
            return body;
        } finally {
            newlineEnds = saved;
        }
    }

    private List<Literal> bracedBody() throws RegoParseException {
        expect("{");
        List<Literal> body = bodyUntil("}");
        expect("}");
        if (body.isEmpty()) {
            throw err(peek(), "rule body must not be empty");
        }
        return body;
    }

    /** Literals separated by newlines or semicolons until {@code close} (or EOF when null). */
    private List<Literal> bodyUntil(String close) throws RegoParseException {
        boolean saved = newlineEnds;
        newlineEnds = true;
        enter();
        try {
            List<Literal> body = new ArrayList<>();
            while (true) {
                Token t = peek();
                if (t.kind() == Token.Kind.EOF || (close != null && t.is(close))) {
                    return body;
                }
                body.add(literal());
                Token after = peek();
                if (after.is(";")) {
                    next();
                } else if (!(after.newline() || after.kind() == Token.Kind.EOF || (close != null && after.is(close)))) {
                    throw err(after, "unexpected " + describe(after) + ", expected end of expression");
                }
            }
        } finally {
            leave();
            newlineEnds = saved;
        }
    }

    // ---------------------------------------------------------------- literals

    private Literal literal() throws RegoParseException {
        Token start = peek();
        Location loc = loc(start);
        boolean negated = false;
        Expr expr;
        if (start.is("some")) {
            next();
            expr = someDecl();
        } else if (start.is("every") && keywords.contains("every")) {
            next();
            expr = every();
        } else {
            if (start.is("not")) {
                next();
                negated = true;
            }
            if (negated && peek().is("{") && notBlocks) {
                expr = new Expr.Block(bracedBody());
            } else {
                expr = exprAfterTerm();
            }
        }
        List<Literal.With> withs = new ArrayList<>();
        while (peek().is("with")) {
            next();
            boolean saved = newlineEnds;
            newlineEnds = false;
            Term target = term();
            newlineEnds = saved;
            if (!peek().is("as")) {
                throw err(peek(), "expected as");
            }
            next();
            Term value = termInfix();
            withs.add(new Literal.With(target, value));
        }
        return new Literal(expr, negated, withs, loc);
    }

    private Expr exprAfterTerm() throws RegoParseException {
        Term left = termInfix();
        if (peek().is(",") && keywords.contains("in") && newlineEnds) {
            next();
            Term value = termRelation();
            if (!peek().is("in")) {
                throw err(peek(), "expected in");
            }
            Token in = next();
            Term coll = termRelation();
            Term member = call("internal.member_3", loc(in), left, value, coll);
            while (peek().is("in") && continues()) {
                Token op = next();
                member = call("internal.member_2", loc(op), member, termRelation());
            }
            return new Expr.TermExpr(member);
        }
        if (peek().is(":=") && !(peek().newline() && newlineEnds)) {
            next();
            Term right = termInfix();
            return new Expr.Unify(left, right, true);
        }
        if (peek().is("=") && !(peek().newline() && newlineEnds)) {
            next();
            Term right = termInfix();
            return new Expr.Unify(left, right, false);
        }
        return new Expr.TermExpr(left);
    }

    private Expr someDecl() throws RegoParseException {
        Token first = peek();
        Term a = termRelationNoIn();
        Term b = null;
        if (peek().is(",")) {
            int save = p;
            next();
            Term second = termRelationNoIn();
            if (peek().is("in") && keywords.contains("in")) {
                b = second;
            } else {
                p = save;
            }
        }
        if (peek().is("in") && keywords.contains("in")) {
            next();
            Term coll = termRelation();
            return b == null ? new Expr.SomeIn(null, a, coll) : new Expr.SomeIn(a, b, coll);
        }
        List<Term.Var> vars = new ArrayList<>();
        if (!(a instanceof Term.Var v)) {
            throw err(first, "expected var");
        }
        vars.add(v);
        while (accept(",")) {
            Token vt = ident("var");
            vars.add(new Term.Var(vt.text(), loc(vt)));
        }
        return new Expr.SomeDecl(vars);
    }

    private Expr every() throws RegoParseException {
        Token first = peek();
        Term a = termRelationNoIn();
        Term b = null;
        if (accept(",")) {
            b = termRelationNoIn();
        }
        if (!peek().is("in")) {
            throw err(peek(), "expected in");
        }
        next();
        Term coll = termRelation();
        if (!(a instanceof Term.Var) || (b != null && !(b instanceof Term.Var))) {
            throw err(first, "every: expected variables");
        }
        List<Literal> body = bracedBody();
        return b == null ? new Expr.Every(null, a, coll, body) : new Expr.Every(a, b, coll, body);
    }

    // ---------------------------------------------------------------- terms

    private Term expression() throws RegoParseException {
        return termInfix();
    }

    /** The lowest precedence: {@code x in coll}. */
    private Term termInfix() throws RegoParseException {
        Term left = termRelation();
        while (peek().is("in") && keywords.contains("in") && continues()) {
            Token op = next();
            Term right = termRelation();
            left = call("internal.member_2", loc(op), left, right);
        }
        return left;
    }

    private Term termRelationNoIn() throws RegoParseException {
        return termRelation();
    }

    private boolean continues() {
        return !(peek().newline() && newlineEnds);
    }

    private Term termRelation() throws RegoParseException {
        Term left = termOr();
        while (continues()) {
            Token t = peek();
            String name = switch (t.kind() == Token.Kind.OP ? t.text() : "") {
                case "==" -> "equal";
                case "!=" -> "neq";
                case "<" -> "lt";
                case "<=" -> "lte";
                case ">" -> "gt";
                case ">=" -> "gte";
                default -> null;
            };
            if (name == null) {
                break;
            }
            next();
            left = call(name, loc(t), left, termOr());
        }
        return left;
    }

    private Term termOr() throws RegoParseException {
        Term left = termAnd();
        while (continues() && peek().is("|") && !noPipe) {
            Token t = next();
            left = call("or", loc(t), left, termAnd());
        }
        return left;
    }

    private Term termAnd() throws RegoParseException {
        Term left = termArith();
        while (continues() && peek().is("&")) {
            Token t = next();
            left = call("and", loc(t), left, termArith());
        }
        return left;
    }

    private Term termArith() throws RegoParseException {
        Term left = termFactor();
        while (continues() && (peek().is("+") || peek().is("-"))) {
            Token t = next();
            left = call(t.text().equals("+") ? "plus" : "minus", loc(t), left, termFactor());
        }
        return left;
    }

    private Term termFactor() throws RegoParseException {
        Term left = term();
        while (continues() && (peek().is("*") || peek().is("/") || peek().is("%"))) {
            Token t = next();
            String name = switch (t.text()) {
                case "*" -> "mul";
                case "/" -> "div";
                default -> "rem";
            };
            left = call(name, loc(t), left, term());
        }
        return left;
    }

    private static Term call(String builtin, Location loc, Term... args) {
        return new Term.Call(new Term.Var(builtin, loc), List.of(args), loc, null);
    }

    /** A primary term followed by reference and call suffixes. */
    private Term term() throws RegoParseException {
        enter();
        try {
            Token t = peek();
            Term base = primary();
            while (true) {
                Token s = peek();
                if (s.spaced()) {
                    break;
                }
                if (s.is(".")) {
                    next();
                    Token name = next();
                    if (name.kind() != Token.Kind.IDENT) {
                        throw err(name, "unexpected " + describe(name) + ": expected ident");
                    }
                    base = appendRef(base, new Term.Const(StringValue.of(name.text())), t);
                } else if (s.is("[")) {
                    next();
                    boolean saved = newlineEnds;
                    newlineEnds = false;
                    Term key = expression();
                    newlineEnds = saved;
                    expect("]");
                    base = appendRef(base, key, t);
                } else if (s.is("(") && (base instanceof Term.Var || base instanceof Term.Ref)) {
                    next();
                    boolean saved = newlineEnds;
                    newlineEnds = false;
                    List<Term> args = arguments();
                    newlineEnds = saved;
                    base = new Term.Call(base, args, loc(t), null);
                } else {
                    break;
                }
            }
            return base;
        } finally {
            leave();
        }
    }

    private Term appendRef(Term base, Term seg, Token at) throws RegoParseException {
        if (base instanceof Term.Ref r) {
            List<Term> path = new ArrayList<>(r.path());
            path.add(seg);
            return new Term.Ref(r.head(), path, r.location());
        }
        if (base instanceof Term.Const c && !(c.value() instanceof ArrayValue || c.value() instanceof ObjectValue
                || c.value() instanceof SetValue || c.value() instanceof StringValue)) {
            throw err(at, "illegal ref (head cannot be " + c.value().typeName() + ")");
        }
        return new Term.Ref(base, List.of(seg), loc(at));
    }

    private Term primary() throws RegoParseException {
        Token t = next();
        switch (t.kind()) {
            case NUMBER:
                return new Term.Const(number(t, t.text()));
            case STRING:
            case RAW_STRING:
                return new Term.Const(StringValue.of(t.text()));
            case EOF:
                throw err(t, "unexpected eof token");
            case IDENT:
                switch (t.text()) {
                    case "true":
                        return new Term.Const(BooleanValue.TRUE);
                    case "false":
                        return new Term.Const(BooleanValue.FALSE);
                    case "null":
                        return new Term.Const(NullValue.NULL);
                    case "_":
                        return new Term.Var("$_" + (wildcards++), loc(t));
                    default:
                        if (isKeyword(t.text()) && peek().is("(") && !peek().spaced() && V1_KEYWORDS.contains(t.text())) {
                            return new Term.Var(t.text(), loc(t));
                        }
                        if (isKeyword(t.text()) && !t.text().equals("set")) {
                            throw err(t, "unexpected " + t.text() + " keyword");
                        }
                        if (t.text().equals("set") && peek().is("(") && !peek().spaced()) {
                            next();
                            expect(")");
                            return new Term.Const(SetValue.EMPTY);
                        }
                        return new Term.Var(t.text(), loc(t));
                }
            default:
                break;
        }
        switch (t.text()) {
            case "-": {
                Token n = peek();
                if (n.kind() == Token.Kind.NUMBER && !n.spaced()) {
                    next();
                    return new Term.Const(number(n, "-" + n.text()));
                }
                Term operand = term();
                return call("minus", loc(t), new Term.Const(NumberValue.of(0)), operand);
            }
            case "(": {
                boolean saved = newlineEnds;
                boolean savedPipe = noPipe;
                newlineEnds = false;
                noPipe = false;
                Term inner = expression();
                if (peek().is(",") && keywords.contains("in")) {
                    next();
                    Term value = termRelation();
                    if (!peek().is("in")) {
                        throw err(peek(), "expected in");
                    }
                    Token in = next();
                    inner = call("internal.member_3", loc(in), inner, value, termRelation());
                }
                expect(")");
                newlineEnds = saved;
                noPipe = savedPipe;
                return inner;
            }
            case "[":
                return arrayOrCompr();
            case "{":
                return objectOrSet();
            default:
                throw err(t, "unexpected " + describe(t));
        }
    }

    private Value number(Token t, String text) throws RegoParseException {
        try {
            return NumberValue.parse(text);
        } catch (NumberFormatException e) {
            throw err(t, "invalid number " + text);
        }
    }

    private Term arrayOrCompr() throws RegoParseException {
        boolean saved = newlineEnds;
        boolean savedPipe = noPipe;
        newlineEnds = false;
        try {
            if (accept("]")) {
                return new Term.Const(ArrayValue.EMPTY);
            }
            noPipe = true;
            Term first = expression();
            noPipe = false;
            if (accept("|")) {
                List<Literal> body = bodyUntil("]");
                expect("]");
                return new Term.ArrayCompr(first, body);
            }
            List<Term> elems = new ArrayList<>();
            elems.add(first);
            while (accept(",")) {
                if (peek().is("]")) {
                    break;
                }
                elems.add(expression());
            }
            expect("]");
            return fold(new Term.ArrayTerm(elems));
        } finally {
            newlineEnds = saved;
            noPipe = savedPipe;
        }
    }

    private Term objectOrSet() throws RegoParseException {
        boolean saved = newlineEnds;
        boolean savedPipe = noPipe;
        newlineEnds = false;
        try {
            if (accept("}")) {
                return new Term.Const(ObjectValue.EMPTY);
            }
            noPipe = true;
            Term first = expression();
            if (accept(":")) {
                Term value = expression();
                noPipe = false;
                if (accept("|")) {
                    List<Literal> body = bodyUntil("}");
                    expect("}");
                    return new Term.ObjectCompr(first, value, body);
                }
                List<Term> keys = new ArrayList<>();
                List<Term> values = new ArrayList<>();
                keys.add(first);
                values.add(value);
                while (accept(",")) {
                    if (peek().is("}")) {
                        break;
                    }
                    keys.add(expression());
                    expect(":");
                    values.add(expression());
                }
                expect("}");
                return fold(new Term.ObjectTerm(keys, values));
            }
            noPipe = false;
            if (accept("|")) {
                List<Literal> body = bodyUntil("}");
                expect("}");
                return new Term.SetCompr(first, body);
            }
            List<Term> elems = new ArrayList<>();
            elems.add(first);
            while (accept(",")) {
                if (peek().is("}")) {
                    break;
                }
                elems.add(expression());
            }
            expect("}");
            return fold(new Term.SetTerm(elems));
        } finally {
            newlineEnds = saved;
            noPipe = savedPipe;
        }
    }

    /** Ground composite literals become constants once, at parse time. */
    private static Term fold(Term t) {
        if (t instanceof Term.ArrayTerm a && a.elements().stream().allMatch(e -> e instanceof Term.Const)) {
            return new Term.Const(ArrayValue.of(a.elements().stream().map(e -> ((Term.Const) e).value()).toList()));
        }
        if (t instanceof Term.SetTerm s && s.elements().stream().allMatch(e -> e instanceof Term.Const)) {
            return new Term.Const(SetValue.of(s.elements().stream().map(e -> ((Term.Const) e).value()).toList()));
        }
        if (t instanceof Term.ObjectTerm o && o.keys().stream().allMatch(e -> e instanceof Term.Const)
                && o.values().stream().allMatch(e -> e instanceof Term.Const)) {
            ObjectValue.Builder b = ObjectValue.builder();
            java.util.HashSet<Value> seen = new java.util.HashSet<>();
            for (int i = 0; i < o.keys().size(); i++) {
                Value k = ((Term.Const) o.keys().get(i)).value();
                if (!seen.add(k)) {
                    return t;
                }
                b.put(k, ((Term.Const) o.values().get(i)).value());
            }
            return new Term.Const(b.build());
        }
        return t;
    }

    // ---------------------------------------------------------------- helpers

    private boolean isKeyword(String s) {
        return switch (s) {
            case "not", "some", "with", "as", "default", "else", "import", "package" -> true;
            default -> keywords.contains(s);
        };
    }

    private void enter() throws RegoParseException {
        if (++depth > MAX_NESTING) {
            throw err(peek(), "nesting too deep (more than " + MAX_NESTING + " levels)");
        }
    }

    private void leave() {
        depth--;
    }

    private Token peek() {
        return toks.get(p);
    }

    private Token next() {
        Token t = toks.get(p);
        if (t.kind() != Token.Kind.EOF) {
            p++;
        }
        return t;
    }

    /** Call or head arguments after the opening parenthesis, through the closing one; a trailing comma is allowed, as in OPA. */
    private List<Term> arguments() throws RegoParseException {
        List<Term> args = new ArrayList<>();
        while (!peek().is(")")) {
            args.add(expression());
            if (!accept(",")) {
                break;
            }
        }
        expect(")");
        return args;
    }

    private boolean accept(String op) {
        if (peek().is(op) && peek().kind() == Token.Kind.OP) {
            p++;
            return true;
        }
        return false;
    }

    private void expect(String op) throws RegoParseException {
        Token t = peek();
        if (!(t.is(op) && t.kind() == Token.Kind.OP)) {
            throw err(t, "unexpected " + describe(t) + ", expected " + op);
        }
        p++;
    }

    private Token ident(String what) throws RegoParseException {
        Token t = next();
        if (t.kind() != Token.Kind.IDENT) {
            throw err(t, "expected " + what);
        }
        return t;
    }

    private String describe(Token t) {
        return switch (t.kind()) {
            case EOF -> "eof token";
            case IDENT -> isKeyword(t.text()) ? t.text() + " keyword" : "ident token";
            case STRING, RAW_STRING -> "string token";
            case NUMBER -> "number token";
            case OP -> t.text() + " token";
        };
    }

    private Location loc(Token t) {
        return new Location(file, t.line(), t.column());
    }

    private RegoParseException err(Token t, String msg) {
        return new RegoParseException(file, t.line(), t.column(), msg);
    }
}
