package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * strings.render_template: the part of Go's text/template that policies use. Fields ({@code .a.b}),
 * variables ({@code $x}, {@code $x.a}), literals, {@code if}/{@code else if}/{@code else},
 * {@code range} (with {@code $i, $v :=} and {@code else}), {@code with}, comments, trim markers, and
 * the functions {@code len index eq ne lt le gt ge and or not print}. A missing key renders as
 * {@code <undefined>}, as OPA renders it.
 */
final class GoTemplate {

    private static final int MAX_OUTPUT = 1 << 20;
    /** Bound on nested blocks and else-if chains: parsing and rendering recurse once per level. */
    private static final int MAX_NESTING = 1000;

    private GoTemplate() {
    }

    static void register(BuiltinRegistry r) {
        r.register("strings.render_template", 2, (a, c) -> {
            List<Node> nodes = new Parser(Operands.string(a, 0)).parse();
            StringBuilder out = new StringBuilder();
            Map<String, Value> vars = new HashMap<>();
            vars.put("$", a[1]);
            render(nodes, a[1], vars, out, c);
            return StringValue.of(out.toString());
        });
    }

    private interface Node {
    }

    private record Text(String text) implements Node {
    }

    private record Action(List<String> declared, List<String> words) implements Node {
    }

    private record If(List<String> words, List<Node> then, List<Node> otherwise) implements Node {
    }

    private record Range(List<String> declared, List<String> words, List<Node> body, List<Node> otherwise) implements Node {
    }

    private record With(List<String> words, List<Node> body, List<Node> otherwise) implements Node {
    }

    /** A missing map key: rendered as OPA does, false in conditions. */
    private static final Value UNDEFINED = StringValue.of("<undefined>");

    private static void render(List<Node> nodes, Value dot, Map<String, Value> vars, StringBuilder out, BuiltinContext c)
            throws BuiltinException {
        for (Node node : nodes) {
            c.charge(1);
            if (out.length() > MAX_OUTPUT) {
                throw BuiltinException.error("template: output larger than " + MAX_OUTPUT + " characters");
            }
            if (node instanceof Text t) {
                out.append(t.text());
            } else if (node instanceof Action act) {
                Value v = eval(act.words(), dot, vars);
                if (act.declared().isEmpty()) {
                    out.append(print(v));
                } else {
                    vars.put(act.declared().get(0), v);
                }
            } else if (node instanceof If i) {
                render(truthy(eval(i.words(), dot, vars)) ? i.then() : i.otherwise(), dot, vars, out, c);
            } else if (node instanceof With w) {
                Value v = eval(w.words(), dot, vars);
                if (truthy(v)) {
                    render(w.body(), v, vars, out, c);
                } else {
                    render(w.otherwise(), dot, vars, out, c);
                }
            } else if (node instanceof Range rg) {
                renderRange(rg, dot, vars, out, c);
            }
        }
    }

    private static void renderRange(Range rg, Value dot, Map<String, Value> vars, StringBuilder out, BuiltinContext c)
            throws BuiltinException {
        Value v = eval(rg.words(), dot, vars);
        List<Value[]> entries = new ArrayList<>();
        if (v instanceof ArrayValue arr) {
            for (int k = 0; k < arr.elements().size(); k++) {
                entries.add(new Value[] {NumberValue.of(k), arr.elements().get(k)});
            }
        } else if (v instanceof ObjectValue obj) {
            TreeMap<String, Value> sorted = new TreeMap<>();
            obj.entrySet().forEach(e -> sorted.put(ValueJson.keyText(e.getKey()), e.getValue()));
            sorted.forEach((k, x) -> entries.add(new Value[] {StringValue.of(k), x}));
        } else if (v instanceof SetValue set) {
            int k = 0;
            for (Value x : set.sorted()) {
                entries.add(new Value[] {NumberValue.of(k++), x});
            }
        } else if (v != UNDEFINED && !(v instanceof NullValue)) {
            throw BuiltinException.error("template: range can't iterate over " + print(v));
        }
        if (entries.isEmpty()) {
            render(rg.otherwise(), dot, vars, out, c);
        }
        for (Value[] e : entries) {
            Map<String, Value> scope = new HashMap<>(vars);
            if (rg.declared().size() == 1) {
                scope.put(rg.declared().get(0), e[1]);
            } else if (rg.declared().size() == 2) {
                scope.put(rg.declared().get(0), e[0]);
                scope.put(rg.declared().get(1), e[1]);
            }
            render(rg.body(), e[1], scope, out, c);
        }
    }

    private static Value eval(List<String> words, Value dot, Map<String, Value> vars) throws BuiltinException {
        if (words.isEmpty()) {
            throw BuiltinException.error("template: missing value for command");
        }
        String head = words.get(0);
        List<Value> args = new ArrayList<>();
        for (String w : words.subList(1, words.size())) {
            args.add(term(w, dot, vars));
        }
        return switch (head) {
            case "len" -> {
                Value v = one(head, args);
                if (v instanceof StringValue str) {
                    yield NumberValue.of(str.value().codePointCount(0, str.value().length()));
                } else if (v instanceof ArrayValue arr) {
                    yield NumberValue.of(arr.elements().size());
                } else if (v instanceof ObjectValue obj) {
                    yield NumberValue.of(obj.entrySet().size());
                } else if (v instanceof SetValue set) {
                    yield NumberValue.of(set.size());
                }
                throw BuiltinException.error("template: len of " + print(v));
            }
            case "index" -> {
                if (args.isEmpty()) {
                    throw BuiltinException.error("template: index needs arguments");
                }
                Value v = args.get(0);
                for (Value key : args.subList(1, args.size())) {
                    v = select(v, key);
                }
                yield v;
            }
            case "not" -> BooleanValue.of(!truthy(one(head, args)));
            case "and" -> {
                Value last = BooleanValue.TRUE;
                for (Value v : args) {
                    last = v;
                    if (!truthy(v)) {
                        break;
                    }
                }
                yield last;
            }
            case "or" -> {
                Value last = BooleanValue.FALSE;
                for (Value v : args) {
                    last = v;
                    if (truthy(v)) {
                        break;
                    }
                }
                yield last;
            }
            case "eq", "ne", "lt", "le", "gt", "ge" -> {
                if (args.size() < 2) {
                    throw BuiltinException.error("template: " + head + " needs two arguments");
                }
                int cmp = args.get(0).compareTo(args.get(1));
                boolean result = switch (head) {
                    case "eq" -> args.subList(1, args.size()).contains(args.get(0));
                    case "ne" -> cmp != 0;
                    case "lt" -> cmp < 0;
                    case "le" -> cmp <= 0;
                    case "gt" -> cmp > 0;
                    default -> cmp >= 0;
                };
                yield BooleanValue.of(result);
            }
            case "print" -> {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < args.size(); k++) {
                    boolean spaced = k > 0 && !(args.get(k) instanceof StringValue) && !(args.get(k - 1) instanceof StringValue);
                    sb.append(spaced ? " " : "").append(print(args.get(k)));
                }
                yield StringValue.of(sb.toString());
            }
            default -> {
                if (words.size() > 1) {
                    throw BuiltinException.error("template: function \"" + head + "\" not defined");
                }
                yield term(head, dot, vars);
            }
        };
    }

    private static Value one(String fn, List<Value> args) throws BuiltinException {
        if (args.size() != 1) {
            throw BuiltinException.error("template: " + fn + " takes one argument");
        }
        return args.get(0);
    }

    private static Value term(String word, Value dot, Map<String, Value> vars) throws BuiltinException {
        if (word.startsWith("\"") || word.startsWith("`")) {
            if (word.startsWith("`")) {
                return StringValue.of(word.substring(1, word.length() - 1));
            }
            try {
                return ValueJson.parse(word);
            } catch (IllegalArgumentException e) {
                throw BuiltinException.error("template: malformed quoted string " + word);
            }
        }
        switch (word) {
            case "true":
                return BooleanValue.TRUE;
            case "false":
                return BooleanValue.FALSE;
            case "nil":
                return NullValue.NULL;
            case ".":
                return dot;
            default:
                break;
        }
        if (Character.isDigit(word.charAt(0)) || word.charAt(0) == '-') {
            try {
                return ValueJson.parse(word);
            } catch (IllegalArgumentException e) {
                throw BuiltinException.error("template: bad number syntax: " + word);
            }
        }
        Value base;
        String path;
        if (word.startsWith("$")) {
            int dotAt = word.indexOf('.');
            String name = dotAt < 0 ? word : word.substring(0, dotAt);
            base = vars.get(name);
            if (base == null) {
                throw BuiltinException.error("template: undefined variable \"" + name + "\"");
            }
            path = dotAt < 0 ? "" : word.substring(dotAt);
        } else if (word.startsWith(".")) {
            base = dot;
            path = word;
        } else {
            throw BuiltinException.error("template: function \"" + word + "\" not defined");
        }
        for (String field : path.split("\\.")) {
            if (!field.isEmpty()) {
                base = select(base, StringValue.of(field));
            }
        }
        return base;
    }

    private static Value select(Value v, Value key) throws BuiltinException {
        if (v instanceof ObjectValue obj) {
            Value found = obj.get(key);
            return found == null ? UNDEFINED : found;
        }
        if (v instanceof ArrayValue arr && key instanceof NumberValue n) {
            // Compared before narrowing: intValue() of 2^32 would wrap to 0 and pick the first element
            if (n.decimal().signum() < 0 || n.decimal().compareTo(BigDecimal.valueOf(arr.elements().size())) >= 0) {
                throw BuiltinException.error("template: index out of range: " + n.decimal().toPlainString());
            }
            return arr.elements().get(n.decimal().intValue());
        }
        if (v == UNDEFINED) {
            return UNDEFINED;
        }
        throw BuiltinException.error("template: can't evaluate field " + print(key) + " in " + print(v));
    }

    private static boolean truthy(Value v) {
        if (v instanceof BooleanValue b) {
            return b.value();
        }
        if (v instanceof NumberValue n) {
            return n.decimal().signum() != 0;
        }
        if (v instanceof StringValue str) {
            return v != UNDEFINED && !str.value().isEmpty();
        }
        if (v instanceof ArrayValue arr) {
            return !arr.elements().isEmpty();
        }
        if (v instanceof ObjectValue obj) {
            return !obj.entrySet().isEmpty();
        }
        if (v instanceof SetValue set) {
            return set.size() > 0;
        }
        return !(v instanceof NullValue);
    }

    /** Go's fmt %v of the decoded JSON value: numbers as written, slices as [a b], maps as map[k:v]. */
    private static String print(Value v) {
        if (v instanceof StringValue str) {
            return str.value();
        }
        if (v instanceof NullValue) {
            return "<nil>";
        }
        if (v instanceof ArrayValue || v instanceof SetValue) {
            List<String> parts = new ArrayList<>();
            for (Value e : v instanceof ArrayValue arr ? arr.elements() : ((SetValue) v).sorted()) {
                parts.add(print(e));
            }
            return "[" + String.join(" ", parts) + "]";
        }
        if (v instanceof ObjectValue obj) {
            TreeMap<String, String> sorted = new TreeMap<>();
            obj.entrySet().forEach(e -> sorted.put(ValueJson.keyText(e.getKey()), print(e.getValue())));
            List<String> parts = new ArrayList<>();
            sorted.forEach((k, x) -> parts.add(k + ":" + x));
            return "map[" + String.join(" ", parts) + "]";
        }
        return ValueJson.write(v);
    }

    /** Text and actions, with {@code {{-}} / {@code -}}} trimming the whitespace next to them. */
    private static final class Parser {
        private final String src;
        private int pos;
        private int depth;

        Parser(String src) {
            this.src = src;
        }

        List<Node> parse() throws BuiltinException {
            List<Node> nodes = new ArrayList<>();
            String stop = block(nodes);
            if (stop != null) {
                throw BuiltinException.error("template: unexpected {{" + stop + "}}");
            }
            return nodes;
        }

        /** Parses into {@code nodes} until {{end}} or {{else...}}; returns that keyword (null at the end of input). */
        private String block(List<Node> nodes) throws BuiltinException {
            enter();
            String stop = blockBody(nodes);
            depth--;
            return stop;
        }

        private void enter() throws BuiltinException {
            if (++depth > MAX_NESTING) {
                throw BuiltinException.error("template: blocks nested deeper than " + MAX_NESTING);
            }
        }

        private String blockBody(List<Node> nodes) throws BuiltinException {
            while (pos < src.length()) {
                int open = src.indexOf("{{", pos);
                if (open < 0) {
                    nodes.add(new Text(src.substring(pos)));
                    pos = src.length();
                    break;
                }
                boolean trimLeft = src.startsWith("{{- ", open) || src.startsWith("{{-\t", open) || src.startsWith("{{-\n", open);
                String text = src.substring(pos, open);
                if (trimLeft) {
                    text = text.stripTrailing();
                }
                if (!text.isEmpty()) {
                    nodes.add(new Text(text));
                }
                int close = src.indexOf("}}", open + 2);
                if (close < 0) {
                    throw BuiltinException.error("template: unclosed action");
                }
                boolean trimRight = close > open + 2 && src.charAt(close - 1) == '-' && Character.isWhitespace(src.charAt(close - 2));
                String inner = src.substring(open + 2 + (trimLeft ? 1 : 0), close - (trimRight ? 1 : 0)).strip();
                pos = close + 2;
                if (trimRight) {
                    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
                        pos++;
                    }
                }
                if (inner.startsWith("/*")) {
                    continue;
                }
                List<String> words = words(inner);
                if (words.isEmpty()) {
                    throw BuiltinException.error("template: missing value for command");
                }
                switch (words.get(0)) {
                    case "end" -> {
                        return "end";
                    }
                    case "else" -> {
                        return inner;
                    }
                    case "if" -> nodes.add(conditional(words.subList(1, words.size())));
                    case "with" -> {
                        Branches b = branches();
                        nodes.add(new With(words.subList(1, words.size()), b.body(), b.otherwise()));
                    }
                    case "range" -> {
                        List<String> rest = new ArrayList<>(words.subList(1, words.size()));
                        List<String> declared = declarations(rest);
                        Branches b = branches();
                        nodes.add(new Range(declared, rest, b.body(), b.otherwise()));
                    }
                    default -> {
                        List<String> rest = new ArrayList<>(words);
                        List<String> declared = declarations(rest);
                        nodes.add(new Action(declared, rest));
                    }
                }
            }
            return null;
        }

        private record Branches(List<Node> body, List<Node> otherwise) {
        }

        /** The body of a {@code with} or {@code range} up to its {@code end}, and the optional {@code else} part. */
        private Branches branches() throws BuiltinException {
            List<Node> body = new ArrayList<>();
            List<Node> otherwise = new ArrayList<>();
            String stop = block(body);
            if (stop != null && stop.startsWith("else")) {
                stop = block(otherwise);
            }
            expectEnd(stop);
            return new Branches(body, otherwise);
        }

        /** {@code if} with its {@code else if} chain and {@code else}. */
        private If conditional(List<String> condition) throws BuiltinException {
            enter();
            List<Node> then = new ArrayList<>();
            String stop = block(then);
            List<Node> otherwise = new ArrayList<>();
            if (stop != null && stop.startsWith("else")) {
                List<String> elseWords = words(stop);
                if (elseWords.size() > 1 && elseWords.get(1).equals("if")) {
                    otherwise.add(conditional(elseWords.subList(2, elseWords.size())));
                    stop = "end";
                } else {
                    stop = block(otherwise);
                }
            }
            expectEnd(stop);
            depth--;
            return new If(condition, then, otherwise);
        }

        private static void expectEnd(String stop) throws BuiltinException {
            if (!"end".equals(stop)) {
                throw BuiltinException.error("template: unexpected EOF (missing {{end}})");
            }
        }

        /** Removes a leading {@code $a, $b :=} from {@code words} and returns the names. */
        private static List<String> declarations(List<String> words) {
            int assign = words.indexOf(":=");
            if (assign < 0) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (String w : words.subList(0, assign)) {
                names.add(w.endsWith(",") ? w.substring(0, w.length() - 1) : w);
            }
            words.subList(0, assign + 1).clear();
            return names;
        }

        private static List<String> words(String action) throws BuiltinException {
            List<String> out = new ArrayList<>();
            int i = 0;
            while (i < action.length()) {
                char ch = action.charAt(i);
                if (Character.isWhitespace(ch)) {
                    i++;
                } else if (ch == '"' || ch == '`') {
                    int end = i + 1;
                    while (end < action.length() && action.charAt(end) != ch) {
                        end += ch == '"' && action.charAt(end) == '\\' ? 2 : 1;
                    }
                    if (end >= action.length()) {
                        throw BuiltinException.error("template: unterminated quoted string");
                    }
                    out.add(action.substring(i, end + 1));
                    i = end + 1;
                } else if (ch == '|' || ch == '(') {
                    throw BuiltinException.error("template: pipelines and parenthesised arguments are not supported");
                } else {
                    int end = i;
                    while (end < action.length() && !Character.isWhitespace(action.charAt(end))) {
                        end++;
                    }
                    out.add(action.substring(i, end));
                    i = end;
                }
            }
            return out;
        }
    }
}
