package dev.gatehouse.rego.builtins.graphql;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Renders documents as OPA does: gqlparser's structs marshalled to JSON under their Go field
 * names, then pruned of nulls, empty arrays and empty objects (positions and the fields the
 * validator fills in are never present). Strings, false and 0 stay.
 */
final class AstValues {

    private AstValues() {
    }

    static ObjectValue query(Ast.QueryDocument doc) {
        return new Obj()
                .list("Operations", doc.operations, AstValues::operation)
                .list("Fragments", doc.fragments, AstValues::fragment)
                .build();
    }

    static ObjectValue schema(Ast.SchemaDocument doc) {
        return new Obj()
                .list("Schema", doc.schema, AstValues::schemaDefinition)
                .list("SchemaExtension", doc.schemaExtension, AstValues::schemaDefinition)
                .list("Directives", doc.directives, AstValues::directiveDefinition)
                .list("Definitions", doc.definitions, AstValues::definition)
                .list("Extensions", doc.extensions, AstValues::definition)
                .build();
    }

    private static ObjectValue operation(Ast.OperationDefinition op) {
        return new Obj()
                .str("Operation", op.operation)
                .str("Name", op.name)
                .list("VariableDefinitions", op.variableDefinitions, AstValues::variableDefinition)
                .list("Directives", op.directives, AstValues::directive)
                .list("SelectionSet", op.selectionSet, AstValues::selection)
                .build();
    }

    private static ObjectValue variableDefinition(Ast.VariableDefinition v) {
        return new Obj()
                .str("Variable", v.variable)
                .obj("Type", type(v.type))
                .obj("DefaultValue", value(v.defaultValue))
                .list("Directives", v.directives, AstValues::directive)
                .bool("Used", v.used)
                .build();
    }

    private static ObjectValue fragment(Ast.FragmentDefinition f) {
        return new Obj()
                .str("Name", f.name)
                .list("VariableDefinition", f.variableDefinition, AstValues::variableDefinition)
                .str("TypeCondition", f.typeCondition)
                .list("Directives", f.directives, AstValues::directive)
                .list("SelectionSet", f.selectionSet, AstValues::selection)
                .build();
    }

    private static ObjectValue selection(Ast.Selection s) {
        if (s instanceof Ast.Field f) {
            return new Obj()
                    .str("Alias", f.alias)
                    .str("Name", f.name)
                    .list("Arguments", f.arguments, AstValues::argument)
                    .list("Directives", f.directives, AstValues::directive)
                    .list("SelectionSet", f.selectionSet, AstValues::selection)
                    .build();
        }
        if (s instanceof Ast.FragmentSpread f) {
            return new Obj()
                    .str("Name", f.name)
                    .list("Directives", f.directives, AstValues::directive)
                    .build();
        }
        Ast.InlineFragment f = (Ast.InlineFragment) s;
        return new Obj()
                .str("TypeCondition", f.typeCondition)
                .list("Directives", f.directives, AstValues::directive)
                .list("SelectionSet", f.selectionSet, AstValues::selection)
                .build();
    }

    private static ObjectValue argument(Ast.Argument a) {
        return new Obj().str("Name", a.name).obj("Value", value(a.value)).build();
    }

    private static ObjectValue directive(Ast.Directive d) {
        return new Obj()
                .str("Name", d.name)
                .list("Arguments", d.arguments, AstValues::argument)
                .str("Location", d.location)
                .build();
    }

    private static ObjectValue value(Ast.Value v) {
        if (v == null) {
            return null;
        }
        return new Obj()
                .str("Raw", v.raw)
                .list("Children", v.children, c -> new Obj()
                        .str("Name", c.name)
                        .obj("Value", value(c.value))
                        .build())
                .num("Kind", v.kind.ordinal())
                .bool("ExpectedTypeHasDefault", false)
                .build();
    }

    private static ObjectValue type(Ast.Type t) {
        if (t == null) {
            return null;
        }
        return new Obj()
                .str("NamedType", t.namedType)
                .obj("Elem", type(t.elem))
                .bool("NonNull", t.nonNull)
                .build();
    }

    private static ObjectValue schemaDefinition(Ast.SchemaDefinition s) {
        return new Obj()
                .str("Description", s.description)
                .list("Directives", s.directives, AstValues::directive)
                .list("OperationTypes", s.operationTypes, o -> new Obj()
                        .str("Operation", o.operation)
                        .str("Type", o.type)
                        .build())
                .build();
    }

    private static ObjectValue directiveDefinition(Ast.DirectiveDefinition d) {
        return new Obj()
                .str("Description", d.description)
                .str("Name", d.name)
                .list("Arguments", d.arguments, AstValues::argumentDefinition)
                .list("Locations", d.locations, StringValue::of)
                .bool("IsRepeatable", d.isRepeatable)
                .build();
    }

    private static ObjectValue definition(Ast.Definition d) {
        return new Obj()
                .str("Kind", d.kind)
                .str("Description", d.description)
                .str("Name", d.name)
                .list("Directives", d.directives, AstValues::directive)
                .list("Interfaces", d.interfaces, StringValue::of)
                .list("Fields", d.fields, AstValues::fieldDefinition)
                .list("Types", d.types, StringValue::of)
                .list("EnumValues", d.enumValues, e -> new Obj()
                        .str("Description", e.description)
                        .str("Name", e.name)
                        .list("Directives", e.directives, AstValues::directive)
                        .build())
                .bool("BuiltIn", d.builtIn)
                .build();
    }

    private static ObjectValue fieldDefinition(Ast.FieldDefinition f) {
        return new Obj()
                .str("Description", f.description)
                .str("Name", f.name)
                .list("Arguments", f.arguments, AstValues::argumentDefinition)
                .obj("DefaultValue", value(f.defaultValue))
                .obj("Type", type(f.type))
                .list("Directives", f.directives, AstValues::directive)
                .build();
    }

    private static ObjectValue argumentDefinition(Ast.ArgumentDefinition a) {
        return new Obj()
                .str("Description", a.description)
                .str("Name", a.name)
                .obj("DefaultValue", value(a.defaultValue))
                .obj("Type", type(a.type))
                .list("Directives", a.directives, AstValues::directive)
                .build();
    }

    /** An object under construction that leaves out what OPA's pruning would drop. */
    private static final class Obj {
        private final ObjectValue.Builder b = ObjectValue.builder();

        Obj str(String key, String value) {
            b.put(key, StringValue.of(value));
            return this;
        }

        Obj bool(String key, boolean value) {
            b.put(key, BooleanValue.of(value));
            return this;
        }

        Obj num(String key, long value) {
            b.put(key, NumberValue.of(value));
            return this;
        }

        Obj obj(String key, ObjectValue value) {
            if (value != null && value.size() > 0) {
                b.put(key, value);
            }
            return this;
        }

        <T> Obj list(String key, List<T> items, Function<T, Value> render) {
            List<Value> out = new ArrayList<>(items.size());
            for (T item : items) {
                Value v = item == null ? null : render.apply(item);
                if (v != null && !(v instanceof ObjectValue o && o.size() == 0)) {
                    out.add(v);
                }
            }
            if (!out.isEmpty()) {
                b.put(key, ArrayValue.of(out));
            }
            return this;
        }

        ObjectValue build() {
            return b.build();
        }
    }
}
