package dev.gatehouse.rego.builtins.graphql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A validated schema (gqlparser's ast.Schema): types by name, root operation types, directives. */
final class Schema {

    Ast.Definition query;
    Ast.Definition mutation;
    Ast.Definition subscription;
    final Map<String, Ast.Definition> types = new HashMap<>();
    final Map<String, Ast.DirectiveDefinition> directives = new HashMap<>();
    final Map<String, List<Ast.Definition>> possibleTypes = new HashMap<>();

    Ast.Definition root(String operation) {
        return switch (operation) {
            case "query", "" -> query;
            case "mutation" -> mutation;
            case "subscription" -> subscription;
            default -> null;
        };
    }

    List<Ast.Definition> possibleTypes(Ast.Definition def) {
        return possibleTypes.getOrDefault(def.name, List.of());
    }

    void addPossibleType(String name, Ast.Definition def) {
        if (def != null) {
            possibleTypes.computeIfAbsent(name, k -> new ArrayList<>()).add(def);
        }
    }
}
