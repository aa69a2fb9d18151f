package dev.gatehouse.rego.builtins.graphql;

import dev.gatehouse.rego.builtins.GoFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * gqlparser's AST node types with the same fields, so that {@link AstValues} renders them in the
 * JSON shape OPA returns. Fields below "set by validation" are filled in by {@link QueryValidator}
 * and {@link SchemaBuilder} and are never rendered (OPA renders documents before validating them).
 */
final class Ast {

    private Ast() {
    }

    /** A 1-based line and rune column; null for nodes that came from a Rego object instead of text. */
    record Position(int line, int column) {
    }

    /** gqlparser's ValueKind; the ordinal is the number OPA shows under "Kind". */
    enum ValueKind { VARIABLE, INT, FLOAT, STRING, BLOCK, BOOLEAN, NULL, ENUM, LIST, OBJECT }

    static final class QueryDocument {
        final List<OperationDefinition> operations = new ArrayList<>();
        final List<FragmentDefinition> fragments = new ArrayList<>();

        private Map<String, FragmentDefinition> byName;

        /** The first fragment with this name (as gqlparser's ForName); the list must be complete. */
        FragmentDefinition fragment(String name) {
            if (byName == null) {
                byName = new HashMap<>();
                fragments.forEach(f -> byName.putIfAbsent(f.name, f));
            }
            return byName.get(name);
        }
    }

    static final class OperationDefinition {
        String operation = "";
        String name = "";
        final List<VariableDefinition> variableDefinitions = new ArrayList<>();
        final List<Directive> directives = new ArrayList<>();
        final List<Selection> selectionSet = new ArrayList<>();
        Position position;

        private Map<String, VariableDefinition> byName;

        /** The first variable with this name; the list must be complete. */
        VariableDefinition variable(String variableName) {
            if (byName == null) {
                byName = new HashMap<>();
                variableDefinitions.forEach(v -> byName.putIfAbsent(v.variable, v));
            }
            return byName.get(variableName);
        }
    }

    static final class VariableDefinition {
        String variable = "";
        Type type;
        Value defaultValue;
        final List<Directive> directives = new ArrayList<>();
        Position position;
        boolean used;
        // set by validation
        Definition definition;
    }

    sealed interface Selection permits Field, FragmentSpread, InlineFragment {
        Position position();
    }

    static final class Field implements Selection {
        String alias = "";
        String name = "";
        final List<Argument> arguments = new ArrayList<>();
        final List<Directive> directives = new ArrayList<>();
        final List<Selection> selectionSet = new ArrayList<>();
        Position position;
        // set by validation
        FieldDefinition definition;
        Definition objectDefinition;

        @Override
        public Position position() {
            return position;
        }
    }

    static final class Argument {
        String name = "";
        Value value;
        Position position;
    }

    static final class FragmentSpread implements Selection {
        String name = "";
        final List<Directive> directives = new ArrayList<>();
        Position position;
        // set by validation
        Definition objectDefinition;
        FragmentDefinition definition;

        @Override
        public Position position() {
            return position;
        }
    }

    static final class InlineFragment implements Selection {
        String typeCondition = "";
        final List<Directive> directives = new ArrayList<>();
        final List<Selection> selectionSet = new ArrayList<>();
        Position position;
        // set by validation
        Definition objectDefinition;

        @Override
        public Position position() {
            return position;
        }
    }

    static final class FragmentDefinition {
        String name = "";
        final List<VariableDefinition> variableDefinition = new ArrayList<>();
        String typeCondition = "";
        final List<Directive> directives = new ArrayList<>();
        final List<Selection> selectionSet = new ArrayList<>();
        Position position;
        // set by validation
        Definition definition;
    }

    static final class Value {
        String raw = "";
        final List<ChildValue> children = new ArrayList<>();
        ValueKind kind = ValueKind.VARIABLE;
        Position position;
        // set by validation
        Definition definition;
        VariableDefinition variableDefinition;
        Type expectedType;
        boolean expectedTypeHasDefault;

        private Map<String, ChildValue> childrenByName;

        /** The first object field with this name; the children must be complete. */
        ChildValue child(String childName) {
            if (childrenByName == null) {
                childrenByName = new HashMap<>();
                children.forEach(c -> childrenByName.putIfAbsent(c.name, c));
            }
            return childrenByName.get(childName);
        }

        /** gqlparser's Value.String(), used in validation messages. */
        String show() {
            return switch (kind) {
                case VARIABLE -> "$" + raw;
                case STRING, BLOCK -> GoFormat.quote(raw, false);
                case LIST -> {
                    List<String> parts = new ArrayList<>();
                    for (ChildValue c : children) {
                        parts.add(c.value == null ? "<nil>" : c.value.show());
                    }
                    yield "[" + String.join(",", parts) + "]";
                }
                case OBJECT -> {
                    List<String> parts = new ArrayList<>();
                    for (ChildValue c : children) {
                        parts.add(c.name + ":" + (c.value == null ? "<nil>" : c.value.show()));
                    }
                    yield "{" + String.join(",", parts) + "}";
                }
                default -> raw;
            };
        }
    }

    static final class ChildValue {
        String name = "";
        Value value;
        Position position;
    }

    static final class Directive {
        String name = "";
        final List<Argument> arguments = new ArrayList<>();
        Position position;
        String location = "";
        // set by validation
        Definition parentDefinition;
        DirectiveDefinition definition;
    }

    static final class Type {
        String namedType = "";
        Type elem;
        boolean nonNull;
        Position position;

        static Type named(String name, boolean nonNull) {
            Type t = new Type();
            t.namedType = name;
            t.nonNull = nonNull;
            return t;
        }

        String name() {
            if (!namedType.isEmpty() || elem == null) {
                return namedType;
            }
            return elem.name();
        }

        String show() {
            String bang = nonNull ? "!" : "";
            if (!namedType.isEmpty() || elem == null) {
                return namedType + bang;
            }
            return "[" + elem.show() + "]" + bang;
        }

        Type copy() {
            Type t = new Type();
            t.namedType = namedType;
            t.elem = elem;
            t.nonNull = nonNull;
            t.position = position;
            return t;
        }

        boolean isCompatible(Type other) {
            if (!namedType.equals(other.namedType)) {
                return false;
            }
            if (elem != null && other.elem == null) {
                return false;
            }
            if (elem != null && !elem.isCompatible(other.elem)) {
                return false;
            }
            return !other.nonNull || nonNull;
        }
    }

    static final class SchemaDocument {
        final List<SchemaDefinition> schema = new ArrayList<>();
        final List<SchemaDefinition> schemaExtension = new ArrayList<>();
        final List<DirectiveDefinition> directives = new ArrayList<>();
        final List<Definition> definitions = new ArrayList<>();
        final List<Definition> extensions = new ArrayList<>();
    }

    static final class SchemaDefinition {
        String description = "";
        final List<Directive> directives = new ArrayList<>();
        final List<OperationTypeDefinition> operationTypes = new ArrayList<>();
        Position position;
    }

    static final class OperationTypeDefinition {
        String operation = "";
        String type = "";
        Position position;
    }

    static final class Definition {
        String kind = "";
        String description = "";
        String name = "";
        final List<Directive> directives = new ArrayList<>();
        final List<String> interfaces = new ArrayList<>();
        final List<FieldDefinition> fields = new ArrayList<>();
        final List<String> types = new ArrayList<>();
        final List<EnumValueDefinition> enumValues = new ArrayList<>();
        Position position;
        boolean builtIn;

        private Map<String, FieldDefinition> fieldsByName;
        private int indexedFields = -1;

        /** The first field with this name; the index follows the list, which only ever grows. */
        FieldDefinition field(String fieldName) {
            if (indexedFields != fields.size()) {
                fieldsByName = new HashMap<>();
                fields.forEach(f -> fieldsByName.putIfAbsent(f.name, f));
                indexedFields = fields.size();
            }
            return fieldsByName.get(fieldName);
        }

        private java.util.Set<String> enumValueNames;
        private int indexedEnumValues = -1;

        boolean hasEnumValue(String valueName) {
            if (indexedEnumValues != enumValues.size()) {
                enumValueNames = new java.util.HashSet<>();
                enumValues.forEach(v -> enumValueNames.add(v.name));
                indexedEnumValues = enumValues.size();
            }
            return enumValueNames.contains(valueName);
        }

        boolean isLeafType() {
            return kind.equals(SCALAR) || kind.equals(ENUM);
        }

        boolean isAbstractType() {
            return kind.equals(INTERFACE) || kind.equals(UNION);
        }

        boolean isCompositeType() {
            return kind.equals(OBJECT) || kind.equals(INTERFACE) || kind.equals(UNION);
        }

        boolean isOutputType() {
            return kind.equals(SCALAR) || kind.equals(OBJECT) || kind.equals(INTERFACE) || kind.equals(UNION)
                    || kind.equals(ENUM);
        }

        boolean isInputType() {
            return kind.equals(SCALAR) || kind.equals(ENUM) || kind.equals(INPUT_OBJECT);
        }
    }

    static final String SCALAR = "SCALAR";
    static final String OBJECT = "OBJECT";
    static final String INTERFACE = "INTERFACE";
    static final String UNION = "UNION";
    static final String ENUM = "ENUM";
    static final String INPUT_OBJECT = "INPUT_OBJECT";

    static final class FieldDefinition {
        String description = "";
        String name = "";
        final List<ArgumentDefinition> arguments = new ArrayList<>();
        Value defaultValue;
        Type type;
        final List<Directive> directives = new ArrayList<>();
        Position position;

        /** An input object's field, which has what an argument has. */
        static FieldDefinition inputField(ArgumentDefinition input) {
            FieldDefinition f = new FieldDefinition();
            f.description = input.description;
            f.name = input.name;
            f.defaultValue = input.defaultValue;
            f.type = input.type;
            f.directives.addAll(input.directives);
            f.position = input.position;
            return f;
        }
    }

    static final class ArgumentDefinition {
        String description = "";
        String name = "";
        Value defaultValue;
        Type type;
        final List<Directive> directives = new ArrayList<>();
        Position position;
    }

    static ArgumentDefinition argument(List<ArgumentDefinition> arguments, String name) {
        for (ArgumentDefinition a : arguments) {
            if (a.name.equals(name)) {
                return a;
            }
        }
        return null;
    }

    static final class EnumValueDefinition {
        String description = "";
        String name = "";
        final List<Directive> directives = new ArrayList<>();
        Position position;
    }

    static final class DirectiveDefinition {
        String description = "";
        String name = "";
        final List<ArgumentDefinition> arguments = new ArrayList<>();
        final List<String> locations = new ArrayList<>();
        boolean isRepeatable;
        Position position;
    }
}
