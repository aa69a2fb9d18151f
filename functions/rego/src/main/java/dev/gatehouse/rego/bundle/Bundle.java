package dev.gatehouse.rego.bundle;

import dev.gatehouse.rego.ast.Module;
import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.eval.Policy;
import dev.gatehouse.rego.value.ObjectValue;
import java.util.List;

/**
 * A loaded OPA bundle.
 *
 * @param source   where it came from
 * @param revision the manifest revision ("" when absent)
 * @param roots    the manifest roots ([""] when absent: everything)
 * @param modules  parsed policy modules
 * @param data     the merged data documents
 * @param signed   true when its signature was verified
 */
public record Bundle(String source, String revision, List<String> roots, List<Module> modules, ObjectValue data, boolean signed) {

    /** Compiles the bundle's modules over its data. */
    public Policy compile(BuiltinRegistry builtins) {
        return Policy.compile(modules, data, builtins);
    }
}
