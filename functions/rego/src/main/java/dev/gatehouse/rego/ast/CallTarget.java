package dev.gatehouse.rego.ast;

import dev.gatehouse.rego.builtins.Builtin;
import java.util.List;

/** What a compiled call invokes. */
public sealed interface CallTarget {

    /** The operator's printable name, e.g. {@code strings.replace_n} or {@code data.lib.f}. */
    String name();

    record BuiltinTarget(Builtin builtin) implements CallTarget {
        @Override
        public String name() {
            return builtin.name();
        }
    }

    /** A user function at a data path. */
    record FunctionTarget(List<String> path) implements CallTarget {
        @Override
        public String name() {
            return "data." + String.join(".", path);
        }
    }
}
