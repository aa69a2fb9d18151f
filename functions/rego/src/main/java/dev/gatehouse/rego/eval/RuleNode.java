package dev.gatehouse.rego.eval;

import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One node of the virtual document tree: rules whose fixed head path ends here, and children. */
final class RuleNode {

    final List<Value> path;
    final Map<Value, RuleNode> children = new LinkedHashMap<>();
    final List<CompiledRule> rules = new ArrayList<>();
    final List<CompiledRule> functions = new ArrayList<>();
    CompiledRule defaultRule;
    CompiledRule defaultFunction;
    boolean hasElse;
    /** True when every rule here has an else chain. */
    boolean allElse = true;
    /** True when some value rule (not function) lives at or below this node. */
    boolean hasValueRules;

    RuleNode(List<Value> path) {
        this.path = path;
    }

    RuleNode child(Value key) {
        return children.computeIfAbsent(key, k -> {
            List<Value> p = new ArrayList<>(path);
            p.add(k);
            return new RuleNode(List.copyOf(p));
        });
    }

    /** A function's node, left out of documents. */
    boolean isFunction() {
        return !functions.isEmpty() || defaultFunction != null;
    }


    String displayName() {
        StringBuilder sb = new StringBuilder("data");
        for (Value v : path) {
            if (v instanceof StringValue s && s.value().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                sb.append('.').append(s.value());
            } else {
                sb.append('[').append(v).append(']');
            }
        }
        return sb.toString();
    }
}
