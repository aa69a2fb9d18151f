package dev.gatehouse.rego.builtins.graphql;

import dev.gatehouse.rego.builtins.GoFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * gqlparser's ValidateSchemaDocument: merges the built-in prelude and the document's extensions,
 * resolves root types and checks the type system rules, reporting the first violation as gqlparser
 * does. The documents it is given are not modified.
 */
final class SchemaBuilder {

    /** The first rule a schema breaks; position is null for schemas given as Rego objects. */
    static final class SchemaError extends Exception {
        private final Ast.Position position;

        SchemaError(Ast.Position position, String message) {
            super(message, null, false, false);
            this.position = position;
        }

        /** gqlparser's error text: {@code input:line:column: message}. */
        String located() {
            return position == null
                    ? "input:-1:-1: " + getMessage()
                    : "input:" + position.line() + ":" + position.column() + ": " + getMessage();
        }
    }

    private static final Set<String> BUILTIN_DIRECTIVES =
            Set.of("include", "skip", "deprecated", "specifiedBy", "defer", "oneOf");

    /** The scalars, directives and introspection types every schema has (gqlparser's prelude). */
    private static final String PRELUDE = """
            scalar Int
            scalar Float
            scalar String
            scalar Boolean
            scalar ID
            directive @defer(if: Boolean = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
            directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
            directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
            directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
            directive @specifiedBy(url: String!) on SCALAR
            directive @oneOf on INPUT_OBJECT
            type __Schema {
              description: String
              types: [__Type!]!
              queryType: __Type!
              mutationType: __Type
              subscriptionType: __Type
              directives: [__Directive!]!
            }
            type __Type {
              kind: __TypeKind!
              name: String
              description: String
              specifiedByURL: String
              fields(includeDeprecated: Boolean = false): [__Field!]
              interfaces: [__Type!]
              possibleTypes: [__Type!]
              enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
              inputFields(includeDeprecated: Boolean = false): [__InputValue!]
              ofType: __Type
              isOneOf: Boolean
            }
            enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
            type __Field {
              name: String!
              description: String
              args(includeDeprecated: Boolean = false): [__InputValue!]!
              type: __Type!
              isDeprecated: Boolean!
              deprecationReason: String
            }
            type __InputValue {
              name: String!
              description: String
              type: __Type!
              defaultValue: String
              isDeprecated: Boolean!
              deprecationReason: String
            }
            type __EnumValue {
              name: String!
              description: String
              isDeprecated: Boolean!
              deprecationReason: String
            }
            type __Directive {
              name: String!
              description: String
              isRepeatable: Boolean!
              locations: [__DirectiveLocation!]!
              args(includeDeprecated: Boolean = false): [__InputValue!]!
            }
            enum __DirectiveLocation {
              QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT
              VARIABLE_DEFINITION SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE UNION
              ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION
            }
            """;

    private static final Ast.SchemaDocument PRELUDE_DOCUMENT = parsePrelude();

    private SchemaBuilder() {
    }

    private static Ast.SchemaDocument parsePrelude() {
        try {
            Ast.SchemaDocument prelude = Parser.parseSchema(PRELUDE);
            prelude.definitions.forEach(d -> d.builtIn = true);
            return prelude;
        } catch (Parser.SyntaxError e) {
            throw new IllegalStateException("GraphQL prelude does not parse: " + e.getMessage(), e);
        }
    }

    /** Validates the document merged after the prelude, as OPA's convertSchema does. */
    static Schema build(Ast.SchemaDocument doc) throws SchemaError {
        Ast.SchemaDocument merged = new Ast.SchemaDocument();
        for (Ast.SchemaDocument d : List.of(PRELUDE_DOCUMENT, doc)) {
            merged.schema.addAll(d.schema);
            merged.schemaExtension.addAll(d.schemaExtension);
            merged.directives.addAll(d.directives);
            d.definitions.forEach(def -> merged.definitions.add(copy(def)));
            merged.extensions.addAll(d.extensions);
        }
        return validate(merged);
    }

    /** A definition whose lists extensions may grow without touching the parsed document. */
    private static Ast.Definition copy(Ast.Definition d) {
        Ast.Definition c = new Ast.Definition();
        c.kind = d.kind;
        c.description = d.description;
        c.name = d.name;
        c.directives.addAll(d.directives);
        c.interfaces.addAll(d.interfaces);
        c.fields.addAll(d.fields);
        c.types.addAll(d.types);
        c.enumValues.addAll(d.enumValues);
        c.position = d.position;
        c.builtIn = d.builtIn;
        return c;
    }

    private static Schema validate(Ast.SchemaDocument sd) throws SchemaError {
        Schema schema = new Schema();
        for (Ast.Definition def : sd.definitions) {
            if (schema.types.containsKey(def.name)) {
                throw new SchemaError(def.position, "Cannot redeclare type " + def.name + ".");
            }
            schema.types.put(def.name, def);
        }
        List<Ast.Definition> defs = new ArrayList<>(sd.definitions);
        for (Ast.Definition ext : sd.extensions) {
            Ast.Definition def = schema.types.get(ext.name);
            if (def == null) {
                def = new Ast.Definition();
                def.kind = ext.kind;
                def.name = ext.name;
                def.position = ext.position;
                schema.types.put(ext.name, def);
                defs.add(def);
            }
            if (!def.kind.equals(ext.kind)) {
                throw new SchemaError(ext.position, "Cannot extend type " + ext.name + " because the base type is a "
                        + def.kind + ", not " + ext.kind + ".");
            }
            def.directives.addAll(ext.directives);
            def.interfaces.addAll(ext.interfaces);
            def.fields.addAll(ext.fields);
            def.types.addAll(ext.types);
            def.enumValues.addAll(ext.enumValues);
        }
        for (Ast.Definition def : defs) {
            switch (def.kind) {
                case Ast.UNION -> def.types.forEach(t -> schema.addPossibleType(def.name, schema.types.get(t)));
                case Ast.INPUT_OBJECT, Ast.OBJECT -> {
                    def.interfaces.forEach(i -> schema.addPossibleType(i, def));
                    schema.addPossibleType(def.name, def);
                }
                case Ast.INTERFACE -> def.interfaces.forEach(i -> schema.addPossibleType(i, def));
                default -> {
                }
            }
        }
        for (Ast.DirectiveDefinition dir : sd.directives) {
            if (schema.directives.containsKey(dir.name) && !BUILTIN_DIRECTIVES.contains(dir.name)) {
                throw new SchemaError(dir.position, "Cannot redeclare directive " + dir.name + ".");
            }
            schema.directives.put(dir.name, dir);
        }
        if (sd.schema.size() > 1) {
            throw new SchemaError(sd.schema.get(1).position,
                    "Cannot have multiple schema entry points, consider schema extensions instead.");
        }
        List<Ast.SchemaDefinition> entryPoints = new ArrayList<>(sd.schema);
        entryPoints.addAll(sd.schemaExtension);
        for (Ast.SchemaDefinition s : entryPoints) {
            for (Ast.OperationTypeDefinition entry : s.operationTypes) {
                Ast.Definition def = schema.types.get(entry.type);
                if (def == null) {
                    throw new SchemaError(entry.position, "Schema root " + entry.operation + " refers to a type "
                            + entry.type + " that does not exist.");
                }
                switch (entry.operation) {
                    case "query" -> schema.query = def;
                    case "mutation" -> schema.mutation = def;
                    case "subscription" -> schema.subscription = def;
                    default -> {
                    }
                }
            }
            validateDirectives(schema, s.directives, "SCHEMA", null, true);
        }
        for (String name : new TreeSet<>(schema.types.keySet())) {
            validateDefinition(schema, schema.types.get(name));
        }
        validateInputObjectCircularRefs(schema);
        for (String name : new TreeSet<>(schema.directives.keySet())) {
            Ast.DirectiveDefinition dir = schema.directives.get(name);
            validateName(dir.position, dir.name);
            validateArgs(schema, dir.arguments, dir);
        }
        if (sd.schema.isEmpty()) {
            if (schema.query == null) {
                schema.query = schema.types.get("Query");
            }
            if (schema.mutation == null) {
                schema.mutation = schema.types.get("Mutation");
            }
            if (schema.subscription == null) {
                schema.subscription = schema.types.get("Subscription");
            }
        }
        if (schema.query != null) {
            Ast.FieldDefinition schemaField = new Ast.FieldDefinition();
            schemaField.name = "__schema";
            schemaField.type = Ast.Type.named("__Schema", true);
            Ast.FieldDefinition typeField = new Ast.FieldDefinition();
            typeField.name = "__type";
            typeField.type = Ast.Type.named("__Type", false);
            Ast.ArgumentDefinition nameArg = new Ast.ArgumentDefinition();
            nameArg.name = "name";
            nameArg.type = Ast.Type.named("String", true);
            typeField.arguments.add(nameArg);
            schema.query.fields.add(schemaField);
            schema.query.fields.add(typeField);
        }
        return schema;
    }

    private static void validateInputObjectCircularRefs(Schema schema) throws SchemaError {
        Set<String> visited = new HashSet<>();
        List<Ast.FieldDefinition> fieldPath = new ArrayList<>();
        Map<String, Integer> pathIndex = new HashMap<>();
        for (String name : new TreeSet<>(schema.types.keySet())) {
            Ast.Definition def = schema.types.get(name);
            if (def.kind.equals(Ast.INPUT_OBJECT)) {
                detectCycle(schema, def, visited, fieldPath, pathIndex);
            }
        }
    }

    private static void detectCycle(Schema schema, Ast.Definition def, Set<String> visited,
            List<Ast.FieldDefinition> fieldPath, Map<String, Integer> pathIndex) throws SchemaError {
        if (!visited.add(def.name)) {
            return;
        }
        pathIndex.put(def.name, fieldPath.size());
        for (Ast.FieldDefinition field : def.fields) {
            if (!field.type.nonNull || field.type.namedType.isEmpty()) {
                continue;
            }
            Ast.Definition fieldType = schema.types.get(field.type.namedType);
            if (fieldType == null || !fieldType.kind.equals(Ast.INPUT_OBJECT)) {
                continue;
            }
            fieldPath.add(field);
            Integer cycleIndex = pathIndex.get(fieldType.name);
            if (cycleIndex != null) {
                List<String> names = new ArrayList<>();
                for (Ast.FieldDefinition f : fieldPath.subList(cycleIndex, fieldPath.size())) {
                    names.add(f.name);
                }
                throw new SchemaError(fieldPath.get(cycleIndex).position, "Cannot reference Input Object "
                        + GoFormat.quote(fieldType.name, false) + " within itself through a series of non-null fields: "
                        + GoFormat.quote(String.join(".", names), false) + ".");
            }
            detectCycle(schema, fieldType, visited, fieldPath, pathIndex);
            fieldPath.remove(fieldPath.size() - 1);
        }
        pathIndex.remove(def.name);
    }

    private static void validateDefinition(Schema schema, Ast.Definition def) throws SchemaError {
        for (Ast.FieldDefinition field : def.fields) {
            validateName(field.position, field.name);
            validateTypeRef(schema, field.type);
            validateArgs(schema, field.arguments, null);
            String location = def.kind.equals(Ast.INPUT_OBJECT) ? "INPUT_FIELD_DEFINITION" : "FIELD_DEFINITION";
            validateDirectives(schema, field.directives, location, null, true);
        }
        for (String typ : def.types) {
            Ast.Definition typDef = schema.types.get(typ);
            if (typDef == null) {
                throw new SchemaError(def.position, "Undefined type " + GoFormat.quote(typ, false) + ".");
            }
            if (!typDef.kind.equals(Ast.OBJECT)) {
                throw new SchemaError(def.position, def.kind + " type " + GoFormat.quote(typ, false) + " must be OBJECT.");
            }
        }
        for (String intf : def.interfaces) {
            validateImplements(schema, def, intf);
        }
        switch (def.kind) {
            case Ast.OBJECT, Ast.INTERFACE -> {
                if (def.fields.isEmpty()) {
                    throw new SchemaError(def.position, def.kind + " " + def.name + ": must define one or more fields.");
                }
                for (Ast.FieldDefinition field : def.fields) {
                    Ast.Definition typ = schema.types.get(field.type.name());
                    if (typ != null && !typ.isOutputType()) {
                        throw new SchemaError(field.position, def.kind + " " + def.name
                                + ": field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.");
                    }
                }
            }
            case Ast.ENUM -> {
                if (def.enumValues.isEmpty()) {
                    throw new SchemaError(def.position,
                            def.kind + " " + def.name + ": must define one or more unique enum values.");
                }
                for (Ast.EnumValueDefinition value : def.enumValues) {
                    if (value.name.equals("true") || value.name.equals("false") || value.name.equals("null")) {
                        throw new SchemaError(def.position, def.kind + " " + def.name + ": non-enum value "
                                + value.name + ".");
                    }
                    validateDirectives(schema, value.directives, "ENUM_VALUE", null, true);
                }
            }
            case Ast.INPUT_OBJECT -> {
                if (def.fields.isEmpty()) {
                    throw new SchemaError(def.position,
                            def.kind + " " + def.name + ": must define one or more input fields.");
                }
                for (Ast.FieldDefinition field : def.fields) {
                    Ast.Definition typ = schema.types.get(field.type.name());
                    if (typ != null && !typ.isInputType()) {
                        throw new SchemaError(field.position, typ.kind + " " + field.name
                                + ": field must be one of SCALAR, ENUM, INPUT_OBJECT.");
                    }
                }
            }
            default -> {
            }
        }
        int field = firstDuplicate(def.fields.stream().map(f -> f.name).toList());
        if (field >= 0) {
            Ast.FieldDefinition second = def.fields.get(field);
            throw new SchemaError(second.position, "Field " + def.name + "." + second.name + " can only be defined once.");
        }
        int value = firstDuplicate(def.enumValues.stream().map(v -> v.name).toList());
        if (value >= 0) {
            Ast.EnumValueDefinition second = def.enumValues.get(value);
            throw new SchemaError(second.position,
                    "Enum value " + def.name + "." + second.name + " can only be defined once.");
        }
        int member = firstDuplicate(def.types);
        if (member >= 0) {
            throw new SchemaError(def.position,
                    "Union type " + def.name + " can only include type " + def.types.get(member) + " once.");
        }
        if (!def.builtIn) {
            validateName(def.position, def.name);
        }
        validateDirectives(schema, def.directives, def.kind, null, false);
    }

    /**
     * The duplicate gqlparser's pairwise scan reports first (the earliest name that repeats, at its
     * next occurrence), found in one pass; -1 when every name is unique.
     */
    private static int firstDuplicate(List<String> names) {
        Map<String, Integer> first = new HashMap<>();
        int bestFirst = Integer.MAX_VALUE;
        int best = -1;
        Set<String> repeated = new HashSet<>();
        for (int j = 0; j < names.size(); j++) {
            Integer i = first.putIfAbsent(names.get(j), j);
            if (i != null && repeated.add(names.get(j)) && i < bestFirst) {
                bestFirst = i;
                best = j;
            }
        }
        return best;
    }

    private static void validateTypeRef(Schema schema, Ast.Type typ) throws SchemaError {
        if (typ == null || !schema.types.containsKey(typ.name())) {
            String name = typ == null ? "" : typ.name();
            throw new SchemaError(typ == null ? null : typ.position, "Undefined type " + name + ".");
        }
    }

    private static void validateArgs(Schema schema, List<Ast.ArgumentDefinition> args,
            Ast.DirectiveDefinition currentDirective) throws SchemaError {
        for (Ast.ArgumentDefinition arg : args) {
            validateName(arg.position, arg.name);
            validateTypeRef(schema, arg.type);
            Ast.Definition def = schema.types.get(arg.type.name());
            if (!def.isInputType()) {
                throw new SchemaError(arg.position, "cannot use " + arg.type.show() + " as argument " + arg.name
                        + " because " + def.kind + " is not a valid input type");
            }
            validateDirectives(schema, arg.directives, "ARGUMENT_DEFINITION", currentDirective, true);
        }
    }

    private static void validateDirectives(Schema schema, List<Ast.Directive> dirs, String location,
            Ast.DirectiveDefinition currentDirective, boolean singleLocation) throws SchemaError {
        Set<String> seen = new HashSet<>();
        for (Ast.Directive dir : dirs) {
            validateName(dir.position, dir.name);
            if (currentDirective != null && dir.name.equals(currentDirective.name)) {
                throw new SchemaError(dir.position, "Directive " + currentDirective.name + " cannot refer to itself.");
            }
            Ast.DirectiveDefinition definition = schema.directives.get(dir.name);
            if (definition == null) {
                throw new SchemaError(dir.position, "Undefined directive " + dir.name + ".");
            }
            if (singleLocation) {
                if (!seen.add(dir.name) && !definition.isRepeatable) {
                    throw new SchemaError(dir.position,
                            "The directive " + dir.name + " can only be used once at this location.");
                }
            }
            if (!definition.locations.contains(location)) {
                throw new SchemaError(dir.position, "Directive " + dir.name + " is not applicable on " + location + ".");
            }
            for (Ast.Argument arg : dir.arguments) {
                if (Ast.argument(definition.arguments, arg.name) == null) {
                    throw new SchemaError(arg.position,
                            "Undefined argument " + arg.name + " for directive " + dir.name + ".");
                }
            }
            for (Ast.ArgumentDefinition schemaArg : definition.arguments) {
                if (schemaArg.type.nonNull && schemaArg.defaultValue == null) {
                    Ast.Argument arg = argument(dir.arguments, schemaArg.name);
                    if (arg == null || arg.value == null || arg.value.kind == Ast.ValueKind.NULL) {
                        throw new SchemaError(dir.position, "Argument " + schemaArg.name + " for directive "
                                + dir.name + " cannot be null.");
                    }
                }
            }
        }
    }

    static Ast.Argument argument(List<Ast.Argument> args, String name) {
        for (Ast.Argument a : args) {
            if (a.name.equals(name)) {
                return a;
            }
        }
        return null;
    }

    private static void validateImplements(Schema schema, Ast.Definition def, String intfName) throws SchemaError {
        Ast.Definition intf = schema.types.get(intfName);
        if (intf == null) {
            throw new SchemaError(def.position, "Undefined type " + GoFormat.quote(intfName, false) + ".");
        }
        if (!intf.kind.equals(Ast.INTERFACE)) {
            throw new SchemaError(def.position, GoFormat.quote(intfName, false) + " is a non interface type " + intf.kind + ".");
        }
        for (Ast.FieldDefinition required : intf.fields) {
            Ast.FieldDefinition found = def.field(required.name);
            if (found == null) {
                throw new SchemaError(def.position, "For " + def.name + " to implement " + intf.name
                        + " it must have a field called " + required.name + ".");
            }
            if (!isCovariant(schema, required.type, found.type)) {
                throw new SchemaError(found.position, "For " + def.name + " to implement " + intf.name
                        + " the field " + required.name + " must have type " + required.type.show() + ".");
            }
            for (Ast.ArgumentDefinition requiredArg : required.arguments) {
                Ast.ArgumentDefinition foundArg = Ast.argument(found.arguments, requiredArg.name);
                if (foundArg == null) {
                    throw new SchemaError(found.position, "For " + def.name + " to implement " + intf.name
                            + " the field " + required.name + " must have the same arguments but it is missing "
                            + requiredArg.name + ".");
                }
                if (!requiredArg.type.isCompatible(foundArg.type)) {
                    throw new SchemaError(foundArg.position, "For " + def.name + " to implement " + intf.name
                            + " the field " + required.name + " must have the same arguments but " + requiredArg.name
                            + " has the wrong type.");
                }
            }
            for (Ast.ArgumentDefinition foundArg : found.arguments) {
                if (Ast.argument(required.arguments, foundArg.name) == null && foundArg.type.nonNull
                        && foundArg.defaultValue == null) {
                    throw new SchemaError(foundArg.position, "For " + def.name + " to implement " + intf.name
                            + " any additional arguments on " + found.name
                            + " must be optional or have a default value but " + foundArg.name + " is required.");
                }
            }
        }
        for (String transitive : intf.interfaces) {
            if (!def.interfaces.contains(transitive)) {
                if (transitive.equals(def.name)) {
                    throw new SchemaError(def.position, "Type " + def.name + " cannot implement " + intfName
                            + " because it would create a circular reference.");
                }
                throw new SchemaError(def.position, "Type " + def.name + " must implement " + transitive
                        + " because it is implemented by " + intfName + ".");
            }
        }
    }

    private static boolean isCovariant(Schema schema, Ast.Type required, Ast.Type actual) {
        if (required == null || actual == null) {
            return required == actual;
        }
        if (required.nonNull && !actual.nonNull) {
            return false;
        }
        if (!required.namedType.isEmpty()) {
            if (required.namedType.equals(actual.namedType)) {
                return true;
            }
            for (Ast.Definition pt : schema.possibleTypes.getOrDefault(required.namedType, List.of())) {
                if (pt.name.equals(actual.namedType)) {
                    return true;
                }
            }
            return false;
        }
        if (required.elem != null && actual.elem == null) {
            return false;
        }
        return isCovariant(schema, required.elem, actual.elem);
    }

    private static void validateName(Ast.Position position, String name) throws SchemaError {
        if (name.startsWith("__")) {
            throw new SchemaError(position, "Name \"" + name
                    + "\" must not begin with \"__\", which is reserved by GraphQL introspection.");
        }
    }
}
