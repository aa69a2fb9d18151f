package dev.gatehouse.rego.eval;

import dev.gatehouse.rego.ast.Literal;
import dev.gatehouse.rego.ast.Location;
import dev.gatehouse.rego.ast.Term;
import java.util.List;

/**
 * A rule ready to run: terms use frame slots. {@code dynamicHead} holds the head reference
 * elements after the fixed prefix (partial objects); {@code key} is set for multi-value rules.
 */
final class CompiledRule {

    final Location location;
    final String module;
    final List<Term> dynamicHead;
    final List<Term> args;
    final Term key;
    final Term value;
    final List<Literal> body;
    final boolean isDefault;
    final int frameSize;
    CompiledRule elseRule;

    CompiledRule(Location location, String module, List<Term> dynamicHead, List<Term> args, Term key, Term value,
                 List<Literal> body, boolean isDefault, int frameSize) {
        this.location = location;
        this.module = module;
        this.dynamicHead = dynamicHead;
        this.args = args;
        this.key = key;
        this.value = value;
        this.body = body;
        this.isDefault = isDefault;
        this.frameSize = frameSize;
    }
}
