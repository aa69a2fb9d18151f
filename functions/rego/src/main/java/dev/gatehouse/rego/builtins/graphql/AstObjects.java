package dev.gatehouse.rego.builtins.graphql;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NullValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a document given as a Rego object (an AST from graphql.parse_query or parse_schema, or one a
 * policy built) the way OPA does: Go's encoding/json into gqlparser's structs. So keys match field
 * names exactly or, failing that, case-insensitively; unknown keys are ignored; a value of the wrong
 * type fails the whole document; and, as in gqlparser's decoder, every selection that reads as a
 * field is a field.
 */
final class AstObjects {

    /** The object does not decode into a gqlparser document. */
    static final class DecodeError extends Exception {
        DecodeError(String message) {
            super(message, null, false, false);
        }
    }

    private interface FieldReader {
        void read(Value v) throws DecodeError;
    }

    private static final int MAX_DEPTH = 2 * Parser.MAX_DEPTH;

    private int depth;

    private AstObjects() {
    }

    static Ast.QueryDocument queryDocument(ObjectValue o) throws DecodeError {
        AstObjects d = new AstObjects();
        Ast.QueryDocument doc = new Ast.QueryDocument();
        d.struct(o, "QueryDocument", false, Map.of(
                "Operations", v -> d.list(v, doc.operations, d::operation),
                "Fragments", v -> d.list(v, doc.fragments, d::fragmentDefinition)));
        return doc;
    }

    static Ast.SchemaDocument schemaDocument(ObjectValue o) throws DecodeError {
        AstObjects d = new AstObjects();
        Ast.SchemaDocument doc = new Ast.SchemaDocument();
        d.struct(o, "SchemaDocument", false, Map.of(
                "Schema", v -> d.list(v, doc.schema, d::schemaDefinition),
                "SchemaExtension", v -> d.list(v, doc.schemaExtension, d::schemaDefinition),
                "Directives", v -> d.list(v, doc.directives, d::directiveDefinition),
                "Definitions", v -> d.list(v, doc.definitions, d::definition),
                "Extensions", v -> d.list(v, doc.extensions, d::definition)));
        return doc;
    }

    /**
     * Decodes an object into a struct: {@code exactKeys} for gqlparser's hand-written decoders, which
     * switch on the key; otherwise encoding/json's exact-then-case-insensitive field match.
     */
    private void struct(Value v, String type, boolean exactKeys, Map<String, FieldReader> fields) throws DecodeError {
        if (v instanceof NullValue) {
            return;
        }
        if (!(v instanceof ObjectValue o)) {
            throw mismatch(v, type);
        }
        if (++depth > MAX_DEPTH) {
            throw new DecodeError("GraphQL AST object nested deeper than " + MAX_DEPTH + " levels");
        }
        Map<String, Value> byField = new LinkedHashMap<>();
        for (Value key : o.sortedKeys()) {
            if (!(key instanceof StringValue k)) {
                throw new DecodeError("json: unsupported object key of type " + key.typeName());
            }
            String field = fields.containsKey(k.value()) ? k.value() : exactKeys ? null : foldMatch(fields, k.value());
            if (field != null) {
                byField.put(field, o.get(key));
            }
        }
        for (Map.Entry<String, Value> e : byField.entrySet()) {
            fields.get(e.getKey()).read(e.getValue());
        }
        depth--;
    }

    private static String foldMatch(Map<String, FieldReader> fields, String key) {
        for (String name : fields.keySet()) {
            if (name.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
                return name;
            }
        }
        return null;
    }

    private interface ElementReader<T> {
        T read(Value v) throws DecodeError;
    }

    private <T> void list(Value v, List<T> into, ElementReader<T> element) throws DecodeError {
        into.clear();
        if (v instanceof NullValue) {
            return;
        }
        List<Value> items = elements(v);
        if (items == null) {
            throw mismatch(v, "slice");
        }
        for (Value item : items) {
            into.add(element.read(item));
        }
    }

    private static List<Value> elements(Value v) {
        if (v instanceof ArrayValue a) {
            return a.elements();
        }
        if (v instanceof SetValue s) {
            return s.sorted();
        }
        return null;
    }

    private static DecodeError mismatch(Value v, String goType) {
        String got = switch (v.typeName()) {
            case "object" -> "object";
            case "array", "set" -> "array";
            case "boolean" -> "bool";
            default -> v.typeName();
        };
        return new DecodeError("json: cannot unmarshal " + got + " into Go value of type " + goType);
    }

    private static String string(Value v, String current) throws DecodeError {
        if (v instanceof NullValue) {
            return current;
        }
        if (v instanceof StringValue s) {
            return s.value();
        }
        throw mismatch(v, "string");
    }

    private static boolean bool(Value v, boolean current) throws DecodeError {
        if (v instanceof NullValue) {
            return current;
        }
        if (v instanceof BooleanValue b) {
            return b.value();
        }
        throw mismatch(v, "bool");
    }

    private static Ast.ValueKind kind(Value v, Ast.ValueKind current) throws DecodeError {
        if (v instanceof NullValue) {
            return current;
        }
        if (v instanceof NumberValue n) {
            Integer i = n.isInteger() ? n.intValueExact() : null;
            if (i == null) {
                throw new DecodeError("json: cannot unmarshal number " + n + " into Go value of type ast.ValueKind");
            }
            if (i < 0 || i >= Ast.ValueKind.values().length) {
                throw new DecodeError("unknown value kind " + i);
            }
            return Ast.ValueKind.values()[i];
        }
        throw mismatch(v, "ast.ValueKind");
    }

    private List<String> strings(Value v) throws DecodeError {
        List<String> out = new ArrayList<>();
        list(v, out, item -> string(item, ""));
        return out;
    }

    // ---- executable documents (gqlparser's hand-written decoders for operations, fields and fragments)

    private Ast.OperationDefinition operation(Value v) throws DecodeError {
        Ast.OperationDefinition op = new Ast.OperationDefinition();
        struct(v, "ast.OperationDefinition", true, Map.of(
                "Operation", x -> op.operation = string(x, op.operation),
                "Name", x -> op.name = string(x, op.name),
                "VariableDefinitions", x -> list(x, op.variableDefinitions, this::variableDefinition),
                "Directives", x -> list(x, op.directives, this::directive),
                "SelectionSet", x -> selectionSet(x, op.selectionSet)));
        return op;
    }

    private Ast.FragmentDefinition fragmentDefinition(Value v) throws DecodeError {
        Ast.FragmentDefinition f = new Ast.FragmentDefinition();
        struct(v, "ast.FragmentDefinition", true, Map.of(
                "Name", x -> f.name = string(x, f.name),
                "VariableDefinition", x -> list(x, f.variableDefinition, this::variableDefinition),
                "TypeCondition", x -> f.typeCondition = string(x, f.typeCondition),
                "Directives", x -> list(x, f.directives, this::directive),
                "SelectionSet", x -> selectionSet(x, f.selectionSet)));
        return f;
    }

    /** gqlparser's UnmarshalSelectionSet: a field if it decodes as one, else a spread, else an inline fragment. */
    private void selectionSet(Value v, List<Ast.Selection> into) throws DecodeError {
        into.clear();
        if (v instanceof NullValue) {
            return;
        }
        List<Value> items = elements(v);
        if (items == null) {
            throw mismatch(v, "[]json.RawMessage");
        }
        for (Value item : items) {
            Ast.Selection s = firstDecoding(item);
            if (s != null) {
                into.add(s);
            }
        }
    }

    /**
     * The item as a field, else a spread, else an inline fragment, else nothing. A failure past
     * {@link #MAX_DEPTH} (depth is left raised) ends the decoding: retried as the next kind at every
     * level, a deep selection would be decoded twice per level, exponentially often.
     */
    private Ast.Selection firstDecoding(Value item) throws DecodeError {
        int saved = depth;
        try {
            return field(item);
        } catch (DecodeError notField) {
            depth = resetUnlessTooDeep(saved, notField);
        }
        try {
            return fragmentSpread(item);
        } catch (DecodeError notSpread) {
            depth = resetUnlessTooDeep(saved, notSpread);
        }
        try {
            return inlineFragment(item);
        } catch (DecodeError notInline) {
            depth = resetUnlessTooDeep(saved, notInline);
            return null;
        }
    }

    private int resetUnlessTooDeep(int saved, DecodeError e) throws DecodeError {
        if (depth > MAX_DEPTH) {
            throw e;
        }
        return saved;
    }

    private Ast.Field field(Value v) throws DecodeError {
        Ast.Field f = new Ast.Field();
        struct(v, "ast.Field", true, Map.of(
                "Alias", x -> f.alias = string(x, f.alias),
                "Name", x -> f.name = string(x, f.name),
                "Arguments", x -> list(x, f.arguments, this::argument),
                "Directives", x -> list(x, f.directives, this::directive),
                "SelectionSet", x -> selectionSet(x, f.selectionSet)));
        return f;
    }

    private Ast.FragmentSpread fragmentSpread(Value v) throws DecodeError {
        Ast.FragmentSpread f = new Ast.FragmentSpread();
        struct(v, "ast.FragmentSpread", false, Map.of(
                "Name", x -> f.name = string(x, f.name),
                "Directives", x -> list(x, f.directives, this::directive)));
        return f;
    }

    private Ast.InlineFragment inlineFragment(Value v) throws DecodeError {
        Ast.InlineFragment f = new Ast.InlineFragment();
        struct(v, "ast.InlineFragment", true, Map.of(
                "TypeCondition", x -> f.typeCondition = string(x, f.typeCondition),
                "Directives", x -> list(x, f.directives, this::directive),
                "SelectionSet", x -> selectionSet(x, f.selectionSet)));
        return f;
    }

    private Ast.VariableDefinition variableDefinition(Value v) throws DecodeError {
        Ast.VariableDefinition d = new Ast.VariableDefinition();
        struct(v, "ast.VariableDefinition", false, Map.of(
                "Variable", x -> d.variable = string(x, d.variable),
                "Type", x -> d.type = type(x),
                "DefaultValue", x -> d.defaultValue = value(x),
                "Directives", x -> list(x, d.directives, this::directive),
                "Used", x -> d.used = bool(x, d.used)));
        return d;
    }

    private Ast.Argument argument(Value v) throws DecodeError {
        Ast.Argument a = new Ast.Argument();
        struct(v, "ast.Argument", false, Map.of(
                "Name", x -> a.name = string(x, a.name),
                "Value", x -> a.value = value(x)));
        return a;
    }

    private Ast.Directive directive(Value v) throws DecodeError {
        Ast.Directive d = new Ast.Directive();
        struct(v, "ast.Directive", false, Map.of(
                "Name", x -> d.name = string(x, d.name),
                "Arguments", x -> list(x, d.arguments, this::argument),
                "Location", x -> d.location = string(x, d.location)));
        return d;
    }

    private Ast.Value value(Value v) throws DecodeError {
        if (v instanceof NullValue) {
            return null;
        }
        Ast.Value out = new Ast.Value();
        struct(v, "ast.Value", false, Map.of(
                "Raw", x -> out.raw = string(x, out.raw),
                "Kind", x -> out.kind = kind(x, out.kind),
                "Children", x -> list(x, out.children, c -> {
                    Ast.ChildValue child = new Ast.ChildValue();
                    struct(c, "ast.ChildValue", false, Map.of(
                            "Name", y -> child.name = string(y, child.name),
                            "Value", y -> child.value = value(y)));
                    return child;
                })));
        return out;
    }

    private Ast.Type type(Value v) throws DecodeError {
        if (v instanceof NullValue) {
            return null;
        }
        Ast.Type t = new Ast.Type();
        struct(v, "ast.Type", false, Map.of(
                "NamedType", x -> t.namedType = string(x, t.namedType),
                "Elem", x -> t.elem = type(x),
                "NonNull", x -> t.nonNull = bool(x, t.nonNull)));
        return t;
    }

    // ---- schema documents

    private Ast.SchemaDefinition schemaDefinition(Value v) throws DecodeError {
        Ast.SchemaDefinition s = new Ast.SchemaDefinition();
        struct(v, "ast.SchemaDefinition", false, Map.of(
                "Description", x -> s.description = string(x, s.description),
                "Directives", x -> list(x, s.directives, this::directive),
                "OperationTypes", x -> list(x, s.operationTypes, o -> {
                    Ast.OperationTypeDefinition op = new Ast.OperationTypeDefinition();
                    struct(o, "ast.OperationTypeDefinition", false, Map.of(
                            "Operation", y -> op.operation = string(y, op.operation),
                            "Type", y -> op.type = string(y, op.type)));
                    return op;
                })));
        return s;
    }

    private Ast.DirectiveDefinition directiveDefinition(Value v) throws DecodeError {
        Ast.DirectiveDefinition d = new Ast.DirectiveDefinition();
        struct(v, "ast.DirectiveDefinition", false, Map.of(
                "Description", x -> d.description = string(x, d.description),
                "Name", x -> d.name = string(x, d.name),
                "Arguments", x -> list(x, d.arguments, this::argumentDefinition),
                "Locations", x -> {
                    d.locations.clear();
                    d.locations.addAll(strings(x));
                },
                "IsRepeatable", x -> d.isRepeatable = bool(x, d.isRepeatable)));
        return d;
    }

    private Ast.Definition definition(Value v) throws DecodeError {
        Ast.Definition d = new Ast.Definition();
        struct(v, "ast.Definition", false, Map.of(
                "Kind", x -> d.kind = string(x, d.kind),
                "Description", x -> d.description = string(x, d.description),
                "Name", x -> d.name = string(x, d.name),
                "Directives", x -> list(x, d.directives, this::directive),
                "Interfaces", x -> replace(d.interfaces, strings(x)),
                "Fields", x -> list(x, d.fields, this::fieldDefinition),
                "Types", x -> replace(d.types, strings(x)),
                "EnumValues", x -> list(x, d.enumValues, e -> {
                    Ast.EnumValueDefinition ev = new Ast.EnumValueDefinition();
                    struct(e, "ast.EnumValueDefinition", false, Map.of(
                            "Description", y -> ev.description = string(y, ev.description),
                            "Name", y -> ev.name = string(y, ev.name),
                            "Directives", y -> list(y, ev.directives, this::directive)));
                    return ev;
                }),
                "BuiltIn", x -> d.builtIn = bool(x, d.builtIn)));
        return d;
    }

    private static void replace(List<String> into, List<String> items) {
        into.clear();
        into.addAll(items);
    }

    private Ast.FieldDefinition fieldDefinition(Value v) throws DecodeError {
        Ast.FieldDefinition f = new Ast.FieldDefinition();
        struct(v, "ast.FieldDefinition", false, Map.of(
                "Description", x -> f.description = string(x, f.description),
                "Name", x -> f.name = string(x, f.name),
                "Arguments", x -> list(x, f.arguments, this::argumentDefinition),
                "DefaultValue", x -> f.defaultValue = value(x),
                "Type", x -> f.type = type(x),
                "Directives", x -> list(x, f.directives, this::directive)));
        return f;
    }

    private Ast.ArgumentDefinition argumentDefinition(Value v) throws DecodeError {
        Ast.ArgumentDefinition a = new Ast.ArgumentDefinition();
        struct(v, "ast.ArgumentDefinition", false, Map.of(
                "Description", x -> a.description = string(x, a.description),
                "Name", x -> a.name = string(x, a.name),
                "DefaultValue", x -> a.defaultValue = value(x),
                "Type", x -> a.type = type(x),
                "Directives", x -> list(x, a.directives, this::directive)));
        return a;
    }
}
