package dev.gatehouse.rego.builtins.graphql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * gqlparser's query validation: one walk over the document that resolves every field, argument,
 * fragment and variable against the schema, with the specified rules observing the walk in the
 * order gqlparser registers them (by rule name). Errors come out in gqlparser's order and words.
 */
final class QueryValidator {

    /** One validation error; position is null for documents given as Rego objects. */
    record Problem(String message, Ast.Position position) {
    }

    private static final int MAX_DEPTH = 2 * Parser.MAX_DEPTH;
    static final long MAX_SUGGESTION_WORK = 10_000_000;

    private final Schema schema;
    private final Ast.QueryDocument document;
    private final List<Problem> problems = new ArrayList<>();
    private final List<BiConsumer<QueryValidator, Ast.OperationDefinition>> onOperation = new ArrayList<>();
    private final List<BiConsumer<QueryValidator, Ast.Field>> onField = new ArrayList<>();
    private final List<BiConsumer<QueryValidator, Ast.FragmentDefinition>> onFragment = new ArrayList<>();
    private final List<BiConsumer<QueryValidator, Ast.InlineFragment>> onInlineFragment = new ArrayList<>();
    private final List<BiConsumer<QueryValidator, Ast.FragmentSpread>> onFragmentSpread = new ArrayList<>();
    private final List<BiConsumer<QueryValidator, Ast.Directive>> onDirective = new ArrayList<>();
    private final List<BiConsumer<QueryValidator, List<Ast.Directive>>> onDirectiveList = new ArrayList<>();
    private final List<BiConsumer<QueryValidator, Ast.Value>> onValue = new ArrayList<>();
    private final List<BiConsumer<QueryValidator, Ast.VariableDefinition>> onVariable = new ArrayList<>();
    private Set<String> validatedFragmentSpreads = new HashSet<>();
    private Ast.OperationDefinition currentOperation;
    private int depth;
    private long suggestionWork;

    private QueryValidator(Schema schema, Ast.QueryDocument document) {
        this.schema = schema;
        this.document = document;
    }

    /** Every rule violation in the document, in gqlparser's order; empty when the query is valid. */
    static List<Problem> validate(Schema schema, Ast.QueryDocument document) {
        QueryValidator v = new QueryValidator(schema, document);
        ValidationRules.register(v);
        v.walk();
        return v.problems;
    }

    Schema schema() {
        return schema;
    }

    Ast.QueryDocument document() {
        return document;
    }

    Ast.OperationDefinition currentOperation() {
        return currentOperation;
    }

    /**
     * Spends work on "Did you mean" suggestions (options looked at, edit-distance cells); false once
     * {@link #MAX_SUGGESTION_WORK} is used up, since every unknown name is compared with every known one.
     */
    boolean spendOnSuggestions(long work) {
        suggestionWork += work;
        return suggestionWork <= MAX_SUGGESTION_WORK;
    }

    void report(String message, Ast.Position position) {
        problems.add(new Problem(message, position));
    }

    void onOperation(BiConsumer<QueryValidator, Ast.OperationDefinition> f) {
        onOperation.add(f);
    }

    void onField(BiConsumer<QueryValidator, Ast.Field> f) {
        onField.add(f);
    }

    void onFragment(BiConsumer<QueryValidator, Ast.FragmentDefinition> f) {
        onFragment.add(f);
    }

    void onInlineFragment(BiConsumer<QueryValidator, Ast.InlineFragment> f) {
        onInlineFragment.add(f);
    }

    void onFragmentSpread(BiConsumer<QueryValidator, Ast.FragmentSpread> f) {
        onFragmentSpread.add(f);
    }

    void onDirective(BiConsumer<QueryValidator, Ast.Directive> f) {
        onDirective.add(f);
    }

    void onDirectiveList(BiConsumer<QueryValidator, List<Ast.Directive>> f) {
        onDirectiveList.add(f);
    }

    void onValue(BiConsumer<QueryValidator, Ast.Value> f) {
        onValue.add(f);
    }

    void onVariable(BiConsumer<QueryValidator, Ast.VariableDefinition> f) {
        onVariable.add(f);
    }

    private <T> void emit(List<BiConsumer<QueryValidator, T>> observers, T node) {
        for (BiConsumer<QueryValidator, T> o : observers) {
            o.accept(this, node);
        }
    }

    private void walk() {
        for (Ast.OperationDefinition op : document.operations) {
            validatedFragmentSpreads = new HashSet<>();
            walkOperation(op);
        }
        for (Ast.FragmentDefinition fragment : document.fragments) {
            validatedFragmentSpreads = new HashSet<>();
            walkFragment(fragment);
        }
    }

    private void walkOperation(Ast.OperationDefinition operation) {
        currentOperation = operation;
        for (Ast.VariableDefinition varDef : operation.variableDefinitions) {
            varDef.definition = varDef.type == null ? null : schema.types.get(varDef.type.name());
            emit(onVariable, varDef);
            if (varDef.defaultValue != null) {
                varDef.defaultValue.expectedType = varDef.type;
                varDef.defaultValue.definition = varDef.definition;
            }
        }
        Ast.Definition def = schema.root(operation.operation);
        String location = switch (operation.operation) {
            case "mutation" -> "MUTATION";
            case "subscription" -> "SUBSCRIPTION";
            default -> "QUERY";
        };
        for (Ast.VariableDefinition varDef : operation.variableDefinitions) {
            if (varDef.defaultValue != null) {
                walkValue(varDef.defaultValue);
            }
            walkDirectives(varDef.definition, varDef.directives, "VARIABLE_DEFINITION");
        }
        walkDirectives(def, operation.directives, location);
        walkSelectionSet(def, operation.selectionSet);
        emit(onOperation, operation);
        currentOperation = null;
    }

    private void walkFragment(Ast.FragmentDefinition fragment) {
        Ast.Definition def = schema.types.get(fragment.typeCondition);
        fragment.definition = def;
        walkDirectives(def, fragment.directives, "FRAGMENT_DEFINITION");
        walkSelectionSet(def, fragment.selectionSet);
        emit(onFragment, fragment);
    }

    private void walkDirectives(Ast.Definition parentDef, List<Ast.Directive> directives, String location) {
        for (Ast.Directive dir : directives) {
            Ast.DirectiveDefinition def = schema.directives.get(dir.name);
            dir.definition = def;
            dir.parentDefinition = parentDef;
            dir.location = location;
            for (Ast.Argument arg : dir.arguments) {
                walkArgument(def == null ? null : Ast.argument(def.arguments, arg.name), arg);
            }
            emit(onDirective, dir);
        }
        emit(onDirectiveList, directives);
    }

    private void walkArgument(Ast.ArgumentDefinition argDef, Ast.Argument arg) {
        if (arg.value == null) {
            return;
        }
        if (argDef != null) {
            arg.value.expectedType = argDef.type;
            arg.value.expectedTypeHasDefault = argDef.defaultValue != null
                    && argDef.defaultValue.kind != Ast.ValueKind.NULL;
            arg.value.definition = argDef.type == null ? null : schema.types.get(argDef.type.name());
        }
        walkValue(arg.value);
    }

    private void walkValue(Ast.Value value) {
        if (!enter()) {
            return;
        }
        if (value.kind == Ast.ValueKind.VARIABLE && currentOperation != null) {
            value.variableDefinition = currentOperation.variable(value.raw);
            if (value.variableDefinition != null) {
                value.variableDefinition.used = true;
            }
        }
        if (value.kind == Ast.ValueKind.OBJECT) {
            for (Ast.ChildValue child : value.children) {
                if (child.value == null) {
                    continue;
                }
                if (value.definition != null) {
                    Ast.FieldDefinition fieldDef = value.definition.field(child.name);
                    if (fieldDef != null) {
                        child.value.expectedType = fieldDef.type;
                        child.value.expectedTypeHasDefault = fieldDef.defaultValue != null
                                && fieldDef.defaultValue.kind != Ast.ValueKind.NULL;
                        child.value.definition = fieldDef.type == null ? null : schema.types.get(fieldDef.type.name());
                    }
                }
                walkValue(child.value);
            }
        }
        if (value.kind == Ast.ValueKind.LIST) {
            for (Ast.ChildValue child : value.children) {
                if (child.value == null) {
                    continue;
                }
                if (value.expectedType != null && value.expectedType.elem != null) {
                    child.value.expectedType = value.expectedType.elem;
                    child.value.definition = value.definition;
                }
                walkValue(child.value);
            }
        }
        emit(onValue, value);
        depth--;
    }

    private void walkSelectionSet(Ast.Definition parentDef, List<Ast.Selection> selections) {
        if (!enter()) {
            return;
        }
        for (Ast.Selection s : selections) {
            walkSelection(parentDef, s);
        }
        depth--;
    }

    /** Bounds the walk: fragments may spread each other in long chains. */
    private boolean enter() {
        if (depth >= MAX_DEPTH) {
            if (problems.stream().noneMatch(p -> p.message().startsWith("document nested deeper"))) {
                report("document nested deeper than " + MAX_DEPTH + " levels", null);
            }
            return false;
        }
        depth++;
        return true;
    }

    private void walkSelection(Ast.Definition parentDef, Ast.Selection selection) {
        if (selection instanceof Ast.Field field) {
            Ast.FieldDefinition def = null;
            if (field.name.equals("__typename")) {
                def = new Ast.FieldDefinition();
                def.name = "__typename";
                def.type = Ast.Type.named("String", false);
            } else if (parentDef != null) {
                def = parentDef.field(field.name);
            }
            field.definition = def;
            field.objectDefinition = parentDef;
            Ast.Definition nextParent = def == null || def.type == null ? null : schema.types.get(def.type.name());
            for (Ast.Argument arg : field.arguments) {
                walkArgument(def == null ? null : Ast.argument(def.arguments, arg.name), arg);
            }
            walkDirectives(nextParent, field.directives, "FIELD");
            walkSelectionSet(nextParent, field.selectionSet);
            emit(onField, field);
        } else if (selection instanceof Ast.InlineFragment inline) {
            inline.objectDefinition = parentDef;
            Ast.Definition nextParent = inline.typeCondition.isEmpty() ? parentDef : schema.types.get(inline.typeCondition);
            walkDirectives(nextParent, inline.directives, "INLINE_FRAGMENT");
            walkSelectionSet(nextParent, inline.selectionSet);
            emit(onInlineFragment, inline);
        } else if (selection instanceof Ast.FragmentSpread spread) {
            Ast.FragmentDefinition def = document.fragment(spread.name);
            spread.definition = def;
            spread.objectDefinition = parentDef;
            Ast.Definition nextParent = def == null ? null : schema.types.get(def.typeCondition);
            walkDirectives(nextParent, spread.directives, "FRAGMENT_SPREAD");
            if (def != null && validatedFragmentSpreads.add(def.name)) {
                walkDirectives(nextParent, def.directives, "FRAGMENT_DEFINITION");
                walkSelectionSet(nextParent, def.selectionSet);
            }
            emit(onFragmentSpread, spread);
        }
    }

    /** OPA's rendering of the error list: the first location, then every message as gqlparser joins them. */
    static String describe(List<Problem> problems) {
        StringBuilder all = new StringBuilder();
        for (Problem p : problems) {
            all.append("input");
            if (p.position() != null) {
                all.append(':').append(p.position().line()).append(':').append(p.position().column());
            }
            all.append(": ").append(p.message()).append('\n');
        }
        String[] parts = all.toString().split(":", 4);
        if (parts.length < 4) {
            return all.toString().strip();
        }
        String message = parts[3].replaceFirst("^ +", "");
        if (message.endsWith(".\n")) {
            message = message.substring(0, message.length() - 2);
        }
        return message + " in GraphQL query string at location " + parts[1] + ":" + parts[2];
    }
}
