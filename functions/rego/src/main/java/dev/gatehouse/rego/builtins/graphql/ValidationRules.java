package dev.gatehouse.rego.builtins.graphql;

import dev.gatehouse.rego.builtins.GoFormat;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** gqlparser's specified validation rules, registered in gqlparser's order (sorted by rule name). */
final class ValidationRules {

    private ValidationRules() {
    }

    static void register(QueryValidator v) {
        fieldsOnCorrectType(v);
        fragmentsOnCompositeTypes(v);
        knownArgumentNames(v);
        knownDirectives(v);
        knownFragmentNames(v);
        knownRootType(v);
        knownTypeNames(v);
        loneAnonymousOperation(v);
        maxIntrospectionDepth(v);
        noFragmentCycles(v);
        noUndefinedVariables(v);
        noUnusedFragments(v);
        noUnusedVariables(v);
        OverlappingFields.register(v);
        possibleFragmentSpreads(v);
        providedRequiredArguments(v);
        scalarLeafs(v);
        singleFieldSubscriptions(v);
        uniqueArgumentNames(v);
        uniqueDirectivesPerLocation(v);
        uniqueFragmentNames(v);
        uniqueInputFieldNames(v);
        uniqueOperationNames(v);
        uniqueVariableNames(v);
        valuesOfCorrectType(v);
        variablesAreInputTypes(v);
        variablesInAllowedPosition(v);
    }

    private static void fieldsOnCorrectType(QueryValidator v) {
        v.onField((w, field) -> {
            if (field.objectDefinition == null || field.definition != null) {
                return;
            }
            String message = "Cannot query field \"" + field.name + "\" on type \"" + field.objectDefinition.name + "\".";
            List<String> typeNames = suggestedTypeNames(w.schema(), field.objectDefinition, field.name);
            if (typeNames != null) {
                message += " Did you mean to use an inline fragment on " + quotedOrList(typeNames) + "?";
            } else {
                List<String> fieldNames = suggestedFieldNames(w, field.objectDefinition, field.name);
                if (fieldNames != null) {
                    message += " Did you mean " + quotedOrList(fieldNames) + "?";
                }
            }
            w.report(message, field.position);
        });
    }

    private static List<String> suggestedTypeNames(Schema schema, Ast.Definition parent, String name) {
        if (!parent.isAbstractType()) {
            return null;
        }
        List<String> objectTypes = new ArrayList<>();
        List<String> interfaceTypes = new ArrayList<>();
        Map<String, Integer> usage = new HashMap<>();
        for (Ast.Definition possible : schema.possibleTypes(parent)) {
            if (possible.field(name) == null) {
                continue;
            }
            objectTypes.add(possible.name);
            for (String intf : possible.interfaces) {
                Ast.Definition intfDef = schema.types.get(intf);
                if (intfDef != null && intfDef.field(name) != null) {
                    if (usage.getOrDefault(intf, 0) == 0) {
                        interfaceTypes.add(intf);
                    }
                    usage.merge(intf, 1, Integer::sum);
                }
            }
        }
        List<String> all = new ArrayList<>(interfaceTypes);
        all.addAll(objectTypes);
        all.sort(Comparator.<String>comparingInt(t -> -usage.getOrDefault(t, 0)).thenComparing(t -> t));
        return all;
    }

    private static List<String> suggestedFieldNames(QueryValidator w, Ast.Definition parent, String name) {
        if (!parent.kind.equals(Ast.OBJECT) && !parent.kind.equals(Ast.INTERFACE)) {
            return null;
        }
        List<String> names = new ArrayList<>();
        parent.fields.forEach(f -> names.add(f.name));
        List<String> suggested = suggestionList(w, name, names);
        return suggested.isEmpty() ? null : suggested;
    }

    private static void fragmentsOnCompositeTypes(QueryValidator v) {
        v.onInlineFragment((w, inline) -> {
            Ast.Definition type = w.schema().types.get(inline.typeCondition);
            if (type == null || type.isCompositeType()) {
                return;
            }
            w.report("Fragment cannot condition on non composite type \"" + inline.typeCondition + "\".",
                    inline.position);
        });
        v.onFragment((w, fragment) -> {
            if (fragment.definition == null || fragment.typeCondition.isEmpty()
                    || fragment.definition.isCompositeType()) {
                return;
            }
            w.report("Fragment \"" + fragment.name + "\" cannot condition on non composite type \""
                    + fragment.typeCondition + "\".", fragment.position);
        });
    }

    private static void knownArgumentNames(QueryValidator v) {
        v.onField((w, field) -> {
            if (field.definition == null || field.objectDefinition == null) {
                return;
            }
            for (Ast.Argument arg : field.arguments) {
                if (Ast.argument(field.definition.arguments, arg.name) != null) {
                    continue;
                }
                w.report("Unknown argument \"" + arg.name + "\" on field \"" + field.objectDefinition.name + "."
                        + field.name + "\"." + suggest(w, "Did you mean", arg.name,
                                () -> field.definition.arguments.stream().map(a -> a.name).toList(), true), field.position);
            }
        });
        v.onDirective((w, directive) -> {
            if (directive.definition == null) {
                return;
            }
            for (Ast.Argument arg : directive.arguments) {
                if (Ast.argument(directive.definition.arguments, arg.name) != null) {
                    continue;
                }
                w.report("Unknown argument \"" + arg.name + "\" on directive \"@" + directive.name + "\"."
                        + suggest(w, "Did you mean", arg.name,
                                () -> directive.definition.arguments.stream().map(a -> a.name).toList(), true), directive.position);
            }
        });
    }

    private static void knownDirectives(QueryValidator v) {
        Set<String> seen = new HashSet<>();
        v.onDirective((w, directive) -> {
            if (directive.definition == null) {
                w.report("Unknown directive \"@" + directive.name + "\".", directive.position);
                return;
            }
            if (directive.definition.locations.contains(directive.location)) {
                return;
            }
            String key = directive.name + "@" + directive.position;
            if (seen.add(key)) {
                w.report("Directive \"@" + directive.name + "\" may not be used on " + directive.location + ".",
                        directive.position);
            }
        });
    }

    private static void knownFragmentNames(QueryValidator v) {
        v.onFragmentSpread((w, spread) -> {
            if (spread.definition == null) {
                w.report("Unknown fragment \"" + spread.name + "\".", spread.position);
            }
        });
    }

    private static void knownRootType(QueryValidator v) {
        v.onOperation((w, op) -> {
            if (w.schema().root(op.operation) == null) {
                w.report("Schema does not support operation type \"" + op.operation + "\"", op.position);
            }
        });
    }

    private static void knownTypeNames(QueryValidator v) {
        v.onVariable((w, variable) -> {
            String typeName = variable.type == null ? "" : variable.type.name();
            if (!w.schema().types.containsKey(typeName)) {
                w.report("Unknown type \"" + typeName + "\".", variable.position);
            }
        });
        v.onInlineFragment((w, inline) -> {
            if (!inline.typeCondition.isEmpty() && !w.schema().types.containsKey(inline.typeCondition)) {
                w.report("Unknown type \"" + inline.typeCondition + "\".", inline.position);
            }
        });
        v.onFragment((w, fragment) -> {
            if (!w.schema().types.containsKey(fragment.typeCondition)) {
                w.report("Unknown type \"" + fragment.typeCondition + "\"."
                        + suggest(w, "Did you mean", fragment.typeCondition,
                                () -> w.schema().types.keySet().stream().sorted().toList(), true), fragment.position);
            }
        });
    }

    private static void loneAnonymousOperation(QueryValidator v) {
        v.onOperation((w, op) -> {
            if (op.name.isEmpty() && w.document().operations.size() > 1) {
                w.report("This anonymous operation must be the only defined operation.", op.position);
            }
        });
    }

    private static void maxIntrospectionDepth(QueryValidator v) {
        v.onField((w, field) -> {
            if ((field.name.equals("__schema") || field.name.equals("__type"))
                    && new IntrospectionDepth().exceeded(field, 0, 0)) {
                w.report("Maximum introspection depth exceeded", field.position);
            }
        });
    }

    /**
     * gqlparser's MaxIntrospectionDepth: more than two nested fields/interfaces/possibleTypes/inputFields
     * lists under __schema or __type. Its search backtracks over fragments, so the steps it may take are
     * bounded; a search past the bound counts as too deep.
     */
    private static final class IntrospectionDepth {
        private static final int MAX_LISTS_DEPTH = 3;
        private static final int MAX_STEPS = 100_000;
        private final Set<String> visitedFragments = new HashSet<>();
        private int steps;

        boolean exceeded(Ast.Field field, int depth, int nesting) {
            if (field.name.equals("fields") || field.name.equals("interfaces") || field.name.equals("possibleTypes")
                    || field.name.equals("inputFields")) {
                depth++;
                if (depth >= MAX_LISTS_DEPTH) {
                    return true;
                }
            }
            return exceeded(field.selectionSet, depth, nesting + 1);
        }

        private boolean exceeded(List<Ast.Selection> selections, int depth, int nesting) {
            if (++steps > MAX_STEPS || nesting > 2 * Parser.MAX_DEPTH) {
                return true;
            }
            for (Ast.Selection s : selections) {
                if (s instanceof Ast.Field f && exceeded(f, depth, nesting)) {
                    return true;
                }
                if (s instanceof Ast.FragmentSpread spread && spread.definition != null
                        && visitedFragments.add(spread.name)) {
                    boolean deep = exceeded(spread.definition.selectionSet, depth, nesting + 1);
                    visitedFragments.remove(spread.name);
                    if (deep) {
                        return true;
                    }
                }
                if (s instanceof Ast.InlineFragment inline && exceeded(inline.selectionSet, depth, nesting + 1)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static void noFragmentCycles(QueryValidator v) {
        Set<String> visited = new HashSet<>();
        v.onFragment((w, fragment) -> {
            List<Ast.FragmentSpread> spreadPath = new ArrayList<>();
            Map<String, Integer> pathIndex = new HashMap<>();
            detectCycles(w, fragment, visited, spreadPath, pathIndex);
        });
    }

    private static void detectCycles(QueryValidator w, Ast.FragmentDefinition fragment, Set<String> visited,
            List<Ast.FragmentSpread> spreadPath, Map<String, Integer> pathIndex) {
        if (!visited.add(fragment.name)) {
            return;
        }
        if (spreadPath.size() > 2 * Parser.MAX_DEPTH) {
            w.report("fragments spread each other deeper than " + 2 * Parser.MAX_DEPTH + " levels", fragment.position);
            return;
        }
        List<Ast.FragmentSpread> spreads = fragmentSpreads(fragment.selectionSet);
        if (spreads.isEmpty()) {
            return;
        }
        pathIndex.put(fragment.name, spreadPath.size());
        for (Ast.FragmentSpread spread : spreads) {
            Integer cycleIndex = pathIndex.get(spread.name);
            spreadPath.add(spread);
            if (cycleIndex == null) {
                Ast.FragmentDefinition next = w.document().fragment(spread.name);
                if (next != null) {
                    detectCycles(w, next, visited, spreadPath, pathIndex);
                }
            } else {
                List<String> names = new ArrayList<>();
                for (Ast.FragmentSpread s : spreadPath.subList(cycleIndex, spreadPath.size() - 1)) {
                    names.add("\"" + s.name + "\"");
                }
                String via = names.isEmpty() ? "" : " via " + String.join(", ", names);
                w.report("Cannot spread fragment \"" + spread.name + "\" within itself" + via + ".", spread.position);
            }
            spreadPath.remove(spreadPath.size() - 1);
        }
        pathIndex.remove(fragment.name);
    }

    private static List<Ast.FragmentSpread> fragmentSpreads(List<Ast.Selection> root) {
        List<Ast.FragmentSpread> spreads = new ArrayList<>();
        List<List<Ast.Selection>> toVisit = new ArrayList<>();
        toVisit.add(root);
        while (!toVisit.isEmpty()) {
            List<Ast.Selection> set = toVisit.remove(toVisit.size() - 1);
            for (Ast.Selection s : set) {
                if (s instanceof Ast.FragmentSpread spread) {
                    spreads.add(spread);
                } else if (s instanceof Ast.Field f) {
                    toVisit.add(f.selectionSet);
                } else if (s instanceof Ast.InlineFragment i) {
                    toVisit.add(i.selectionSet);
                }
            }
        }
        return spreads;
    }

    private static void noUndefinedVariables(QueryValidator v) {
        v.onValue((w, value) -> {
            Ast.OperationDefinition op = w.currentOperation();
            if (op == null || value.kind != Ast.ValueKind.VARIABLE || value.variableDefinition != null) {
                return;
            }
            if (!op.name.isEmpty()) {
                w.report("Variable \"" + value.show() + "\" is not defined by operation \"" + op.name + "\".",
                        value.position);
            } else {
                w.report("Variable \"" + value.show() + "\" is not defined.", value.position);
            }
        });
    }

    private static void noUnusedFragments(QueryValidator v) {
        boolean[] inFragmentDefinition = {false};
        Set<String> used = new HashSet<>();
        v.onFragmentSpread((w, spread) -> {
            if (!inFragmentDefinition[0]) {
                used.add(spread.name);
            }
        });
        v.onFragment((w, fragment) -> {
            inFragmentDefinition[0] = true;
            if (!used.contains(fragment.name)) {
                w.report("Fragment \"" + fragment.name + "\" is never used.", fragment.position);
            }
        });
    }

    private static void noUnusedVariables(QueryValidator v) {
        v.onOperation((w, op) -> {
            for (Ast.VariableDefinition varDef : op.variableDefinitions) {
                if (varDef.used) {
                    continue;
                }
                if (!op.name.isEmpty()) {
                    w.report("Variable \"$" + varDef.variable + "\" is never used in operation \"" + op.name + "\".",
                            varDef.position);
                } else {
                    w.report("Variable \"$" + varDef.variable + "\" is never used.", varDef.position);
                }
            }
        });
    }

    private static boolean canSpread(Schema schema, Ast.Definition parentDef, String fragmentType) {
        if (parentDef == null) {
            return true;
        }
        List<Ast.Definition> parentDefs;
        switch (parentDef.kind) {
            case Ast.OBJECT -> parentDefs = List.of(parentDef);
            case Ast.INTERFACE, Ast.UNION -> parentDefs = schema.possibleTypes(parentDef);
            default -> {
                return true;
            }
        }
        Ast.Definition fragmentDef = schema.types.get(fragmentType);
        if (fragmentDef == null || !fragmentDef.isCompositeType()) {
            return true;
        }
        for (Ast.Definition f : schema.possibleTypes(fragmentDef)) {
            for (Ast.Definition p : parentDefs) {
                if (p.name.equals(f.name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void possibleFragmentSpreads(QueryValidator v) {
        v.onInlineFragment((w, inline) -> {
            if (!canSpread(w.schema(), inline.objectDefinition, inline.typeCondition)) {
                w.report("Fragment cannot be spread here as objects of type \"" + inline.objectDefinition.name
                        + "\" can never be of type \"" + inline.typeCondition + "\".", inline.position);
            }
        });
        v.onFragmentSpread((w, spread) -> {
            if (spread.definition == null) {
                return;
            }
            if (!canSpread(w.schema(), spread.objectDefinition, spread.definition.typeCondition)) {
                w.report("Fragment \"" + spread.name + "\" cannot be spread here as objects of type \""
                        + spread.objectDefinition.name + "\" can never be of type \""
                        + spread.definition.typeCondition + "\".", spread.position);
            }
        });
    }

    private static void providedRequiredArguments(QueryValidator v) {
        v.onField((w, field) -> {
            if (field.definition == null) {
                return;
            }
            for (Ast.ArgumentDefinition argDef : field.definition.arguments) {
                if (argDef.type != null && argDef.type.nonNull && argDef.defaultValue == null
                        && SchemaBuilder.argument(field.arguments, argDef.name) == null) {
                    w.report("Field \"" + field.name + "\" argument \"" + argDef.name + "\" of type \""
                            + argDef.type.show() + "\" is required, but it was not provided.", field.position);
                }
            }
        });
        v.onDirective((w, directive) -> {
            if (directive.definition == null) {
                return;
            }
            for (Ast.ArgumentDefinition argDef : directive.definition.arguments) {
                if (argDef.type != null && argDef.type.nonNull && argDef.defaultValue == null
                        && SchemaBuilder.argument(directive.arguments, argDef.name) == null) {
                    w.report("Directive \"@" + directive.definition.name + "\" argument \"" + argDef.name
                            + "\" of type \"" + argDef.type.show() + "\" is required, but it was not provided.",
                            directive.position);
                }
            }
        });
    }

    private static void scalarLeafs(QueryValidator v) {
        v.onField((w, field) -> {
            if (field.definition == null || field.definition.type == null) {
                return;
            }
            Ast.Definition type = w.schema().types.get(field.definition.type.name());
            if (type == null) {
                return;
            }
            if (type.isLeafType() && !field.selectionSet.isEmpty()) {
                w.report("Field \"" + field.name + "\" must not have a selection since type \"" + type.name
                        + "\" has no subfields.", field.position);
            }
            if (!type.isLeafType() && field.selectionSet.isEmpty()) {
                w.report("Field \"" + field.name + "\" of type \"" + field.definition.type.show()
                        + "\" must have a selection of subfields. Did you mean \"" + field.name + " { ... }\"?",
                        field.position);
            }
        });
    }

    private static void singleFieldSubscriptions(QueryValidator v) {
        v.onOperation((w, op) -> {
            if (w.schema().subscription == null || !op.operation.equals("subscription")) {
                return;
            }
            List<Ast.Field> fields = new ArrayList<>();
            topFields(op.selectionSet, fields, new HashSet<>(), 0);
            Set<String> seen = new HashSet<>();
            List<Ast.Field> unique = new ArrayList<>();
            for (Ast.Field f : fields) {
                if (seen.add(f.name)) {
                    unique.add(f);
                }
            }
            String name = op.name.isEmpty() ? "Anonymous Subscription" : "Subscription " + GoFormat.quote(op.name, false);
            if (unique.size() > 1) {
                w.report(name + " must select only one top level field.", unique.get(1).position);
            }
            for (Ast.Field f : unique) {
                if (f.name.startsWith("__")) {
                    w.report(name + " must not select an introspection top level field.", f.position);
                }
            }
        });
    }

    /** Top-level fields through inline fragments and spreads; stops at an unknown spread, as gqlparser does. */
    private static boolean topFields(List<Ast.Selection> selections, List<Ast.Field> out, Set<String> inFragment,
            int depth) {
        if (depth > 2 * Parser.MAX_DEPTH) {
            return false;
        }
        for (Ast.Selection s : selections) {
            if (s instanceof Ast.Field f) {
                out.add(f);
            } else if (s instanceof Ast.InlineFragment i) {
                if (!topFields(i.selectionSet, out, inFragment, depth + 1)) {
                    return false;
                }
            } else if (s instanceof Ast.FragmentSpread spread) {
                if (spread.definition == null) {
                    return false;
                }
                if (inFragment.add(spread.definition.name)) {
                    topFields(spread.definition.selectionSet, out, inFragment, depth + 1);
                }
            }
        }
        return true;
    }

    private static void uniqueArgumentNames(QueryValidator v) {
        v.onField((w, field) -> uniqueArgs(w, field.arguments));
        v.onDirective((w, directive) -> uniqueArgs(w, directive.arguments));
    }

    private static void uniqueArgs(QueryValidator w, List<Ast.Argument> args) {
        Map<String, Integer> known = new HashMap<>();
        for (Ast.Argument arg : args) {
            if (known.getOrDefault(arg.name, 0) == 1) {
                w.report("There can be only one argument named \"" + arg.name + "\".", arg.position);
            }
            known.merge(arg.name, 1, Integer::sum);
        }
    }

    private static void uniqueDirectivesPerLocation(QueryValidator v) {
        v.onDirectiveList((w, directives) -> {
            Set<String> seen = new HashSet<>();
            for (Ast.Directive dir : directives) {
                if ((dir.definition == null || !dir.definition.isRepeatable) && seen.contains(dir.name)) {
                    w.report("The directive \"@" + dir.name + "\" can only be used once at this location.",
                            dir.position);
                }
                seen.add(dir.name);
            }
        });
    }

    private static void uniqueFragmentNames(QueryValidator v) {
        Set<String> seen = new HashSet<>();
        v.onFragment((w, fragment) -> {
            if (!seen.add(fragment.name)) {
                w.report("There can be only one fragment named \"" + fragment.name + "\".", fragment.position);
            }
        });
    }

    private static void uniqueInputFieldNames(QueryValidator v) {
        v.onValue((w, value) -> {
            if (value.kind != Ast.ValueKind.OBJECT) {
                return;
            }
            Set<String> seen = new HashSet<>();
            for (Ast.ChildValue field : value.children) {
                if (!seen.add(field.name)) {
                    w.report("There can be only one input field named \"" + field.name + "\".", field.position);
                }
            }
        });
    }

    private static void uniqueOperationNames(QueryValidator v) {
        Set<String> seen = new HashSet<>();
        v.onOperation((w, op) -> {
            if (!seen.add(op.name)) {
                w.report("There can be only one operation named \"" + op.name + "\".", op.position);
            }
        });
    }

    private static void uniqueVariableNames(QueryValidator v) {
        v.onOperation((w, op) -> {
            Map<String, Integer> seen = new HashMap<>();
            for (Ast.VariableDefinition def : op.variableDefinitions) {
                if (seen.getOrDefault(def.variable, 0) == 1) {
                    w.report("There can be only one variable named \"$" + def.variable + "\".", def.position);
                }
                seen.merge(def.variable, 1, Integer::sum);
            }
        });
    }

    private static void valuesOfCorrectType(QueryValidator v) {
        v.onValue((w, value) -> {
            if (value.definition == null || value.expectedType == null) {
                return;
            }
            Ast.Definition def = value.definition;
            if (value.kind == Ast.ValueKind.NULL && value.expectedType.nonNull) {
                w.report("Expected value of type \"" + value.expectedType.show() + "\", found " + value.show() + ".",
                        value.position);
            }
            if (def.kind.equals(Ast.SCALAR) && !isOneOf(def, "Int", "Float", "String", "Boolean", "ID")) {
                return;
            }
            // Listed only when a message suggests one: building it for every value is quadratic.
            Supplier<List<String>> enums = () -> def.kind.equals(Ast.ENUM) ? def.enumValues.stream().map(e -> e.name).toList() : List.of();
            if (!hasGoValue(value)) {
                w.report(unexpectedType(value), value.position);
            }
            switch (value.kind) {
                case NULL, VARIABLE -> {
                }
                case LIST -> {
                    if (value.expectedType.elem == null) {
                        w.report(unexpectedType(value), value.position);
                    }
                }
                case INT -> {
                    if (!isOneOf(def, "Int", "Float", "ID")) {
                        w.report(unexpectedType(value), value.position);
                    }
                }
                case FLOAT -> {
                    if (!isOneOf(def, "Float")) {
                        w.report(unexpectedType(value), value.position);
                    }
                }
                case STRING, BLOCK -> {
                    if (def.kind.equals(Ast.ENUM)) {
                        w.report("Enum \"" + value.expectedType.show() + "\" cannot represent non-enum value: "
                                + value.show() + "." + suggest(w, "Did you mean the enum value", value.raw, enums, true),
                                value.position);
                    } else if (!isOneOf(def, "String", "ID")) {
                        w.report(unexpectedType(value), value.position);
                    }
                }
                case ENUM -> {
                    if (!def.kind.equals(Ast.ENUM)) {
                        w.report(unexpectedType(value)
                                + suggest(w, "Did you mean the enum value", value.raw, enums, false), value.position);
                    } else if (!def.hasEnumValue(value.raw)) {
                        w.report("Value \"" + value.show() + "\" does not exist in \"" + value.expectedType.show()
                                + "\" enum." + suggest(w, "Did you mean the enum value", value.raw, enums, true),
                                value.position);
                    }
                }
                case BOOLEAN -> {
                    if (!isOneOf(def, "Boolean")) {
                        w.report(unexpectedType(value), value.position);
                    }
                }
                case OBJECT -> objectValueFields(w, value, def);
            }
        });
    }

    private static void objectValueFields(QueryValidator w, Ast.Value value, Ast.Definition def) {
        for (Ast.FieldDefinition field : def.fields) {
            if (field.type != null && field.type.nonNull && value.child(field.name) == null
                    && field.defaultValue == null) {
                w.report("Field \"" + def.name + "." + field.name + "\" of required type \"" + field.type.show()
                        + "\" was not provided.", value.position);
            }
        }
        for (Ast.Directive directive : def.directives) {
            if (!directive.name.equals("oneOf")) {
                continue;
            }
            if (value.children.size() != 1) {
                w.report("OneOf Input Object \"" + def.name + "\" must specify exactly one key.", value.position);
                continue;
            }
            Ast.Value fieldValue = value.children.get(0).value;
            if (fieldValue == null || fieldValue.kind == Ast.ValueKind.NULL) {
                String first = def.fields.isEmpty() ? "" : def.fields.get(0).name;
                w.report("Field \"" + def.name + "." + first + "\" must be non-null.",
                        fieldValue == null ? null : fieldValue.position);
            }
        }
        for (Ast.ChildValue child : value.children) {
            if (def.field(child.name) == null) {
                w.report("Field \"" + child.name + "\" is not defined by type \"" + def.name + "\"."
                        + suggest(w, "Did you mean", child.name, () -> def.fields.stream().map(f -> f.name).toList(), true),
                        child.position);
            }
        }
    }

    private static boolean isOneOf(Ast.Definition def, String... names) {
        for (String n : names) {
            if (def.name.equals(n)) {
                return true;
            }
        }
        return false;
    }

    /** Whether gqlparser's Value.Value(nil) succeeds: numbers and booleans must parse as Go parses them. */
    private static boolean hasGoValue(Ast.Value value) {
        try {
            switch (value.kind) {
                case INT -> new BigInteger(value.raw).longValueExact();
                case FLOAT -> Double.parseDouble(value.raw);
                case BOOLEAN -> {
                    return value.raw.equals("true") || value.raw.equals("false") || value.raw.equals("1")
                            || value.raw.equals("0") || value.raw.equals("t") || value.raw.equals("f")
                            || value.raw.equals("T") || value.raw.equals("F") || value.raw.equals("TRUE")
                            || value.raw.equals("FALSE") || value.raw.equals("True") || value.raw.equals("False");
                }
                case LIST, OBJECT -> {
                    for (Ast.ChildValue c : value.children) {
                        if (c.value != null && !hasGoValue(c.value)) {
                            return false;
                        }
                    }
                }
                default -> {
                }
            }
            return true;
        } catch (NumberFormatException | ArithmeticException e) {
            return false;
        }
    }

    private static String unexpectedType(Ast.Value v) {
        switch (v.expectedType.show()) {
            case "Int", "Int!" -> {
                if (isOutOfInt32(v.raw)) {
                    return "Int cannot represent non 32-bit signed integer value: " + v.show();
                }
                return "Int cannot represent non-integer value: " + v.show();
            }
            case "String", "String!", "[String]" -> {
                return "String cannot represent a non string value: " + v.show();
            }
            case "Boolean", "Boolean!" -> {
                return "Boolean cannot represent a non boolean value: " + v.show();
            }
            case "Float", "Float!" -> {
                return "Float cannot represent non numeric value: " + v.show();
            }
            case "ID", "ID!" -> {
                return "ID cannot represent a non-string and non-integer value: " + v.show();
            }
            default -> {
                if (v.definition.kind.equals(Ast.ENUM)) {
                    return "Enum \"" + v.expectedType.show() + "\" cannot represent non-enum value: " + v.show() + ".";
                }
                return "Expected value of type \"" + v.expectedType.show() + "\", found " + v.show() + ".";
            }
        }
    }

    /** Go's strconv.ParseInt(raw, 10, 32) failing with ErrRange (a well-formed integer out of range). */
    private static boolean isOutOfInt32(String raw) {
        if (!raw.matches("[+-]?[0-9]+")) {
            return false;
        }
        BigInteger n = new BigInteger(raw);
        return n.bitLength() > 31;
    }

    private static void variablesAreInputTypes(QueryValidator v) {
        v.onOperation((w, op) -> {
            for (Ast.VariableDefinition def : op.variableDefinitions) {
                if (def.definition != null && !def.definition.isInputType()) {
                    w.report("Variable \"$" + def.variable + "\" cannot be non-input type \"" + def.type.show() + "\".",
                            def.position);
                }
            }
        });
    }

    private static void variablesInAllowedPosition(QueryValidator v) {
        v.onValue((w, value) -> {
            if (value.kind != Ast.ValueKind.VARIABLE || value.expectedType == null || value.variableDefinition == null
                    || w.currentOperation() == null || value.variableDefinition.type == null) {
                return;
            }
            Ast.Type expected = value.expectedType.copy();
            Ast.Value defaultValue = value.variableDefinition.defaultValue;
            if (defaultValue != null && defaultValue.kind != Ast.ValueKind.NULL && value.expectedType.nonNull) {
                expected.nonNull = false;
            }
            if (value.expectedTypeHasDefault) {
                expected.nonNull = false;
            }
            if (!value.variableDefinition.type.isCompatible(expected)) {
                w.report("Variable \"" + value.show() + "\" of type \"" + value.variableDefinition.type.show()
                        + "\" used in position expecting type \"" + value.expectedType.show() + "\".", value.position);
            }
        });
        v.onValue((w, value) -> {
            if (value.kind != Ast.ValueKind.OBJECT || value.definition == null) {
                return;
            }
            boolean oneOf = value.definition.directives.stream().anyMatch(d -> d.name.equals("oneOf"));
            if (!oneOf) {
                return;
            }
            for (Ast.ChildValue child : value.children) {
                Ast.Value fieldValue = child.value;
                if (fieldValue == null || fieldValue.kind != Ast.ValueKind.VARIABLE
                        || fieldValue.variableDefinition == null || fieldValue.variableDefinition.type == null) {
                    continue;
                }
                if (!fieldValue.variableDefinition.type.nonNull) {
                    w.report("Variable \"" + fieldValue.show() + "\" is of type \""
                            + fieldValue.variableDefinition.type.show()
                            + "\" but must be non-nullable to be used for OneOf Input Object \""
                            + value.definition.name + "\".", fieldValue.variableDefinition.position);
                }
            }
        });
    }

    /** gqlparser's SuggestListQuoted/SuggestListUnquoted: " Did you mean "a" or "b"?" or nothing. */
    private static String suggest(QueryValidator w, String prefix, String typed, Supplier<List<String>> options, boolean quoted) {
        List<String> suggested = w.spendOnSuggestions(1) ? suggestionList(w, typed, options.get()) : List.of();
        if (suggested.isEmpty()) {
            return "";
        }
        return " " + prefix + " " + (quoted ? quotedOrList(suggested) : orList(suggested)) + "?";
    }

    private static List<String> suggestionList(QueryValidator w, String input, List<String> options) {
        Map<String, Integer> distances = new HashMap<>();
        List<String> results = new ArrayList<>();
        int threshold = Math.max((int) Math.floor(input.length() * 0.4) + 1, 1);
        for (String option : options) {
            if (!w.spendOnSuggestions(1 + (long) input.length() * option.length())) {
                return List.of();
            }
            int distance = lexicalDistance(input, option);
            if (distance <= threshold) {
                results.add(option);
                distances.put(option, distance);
            }
        }
        results.sort(Comparator.comparingInt(distances::get));
        return results;
    }

    private static int lexicalDistance(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        int[] x = a.toLowerCase(java.util.Locale.ROOT).codePoints().toArray();
        int[] y = b.toLowerCase(java.util.Locale.ROOT).codePoints().toArray();
        if (java.util.Arrays.equals(x, y)) {
            return 1;
        }
        int[] prev = new int[y.length + 1];
        int[] cur = new int[y.length + 1];
        for (int j = 0; j <= y.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= x.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= y.length; j++) {
                int cost = x[i - 1] == y[j - 1] ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[y.length];
    }

    private static String quotedOrList(List<String> items) {
        List<String> quoted = new ArrayList<>();
        items.forEach(i -> quoted.add("\"" + i + "\""));
        return orList(quoted);
    }

    private static String orList(List<String> all) {
        List<String> items = all.size() > 5 ? all.subList(0, 5) : all;
        if (items.size() == 2) {
            return items.get(0) + " or " + items.get(1);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            if (i != 0) {
                b.append(i == items.size() - 1 ? ", or " : ", ");
            }
            b.append(items.get(i));
        }
        return b.toString();
    }
}
