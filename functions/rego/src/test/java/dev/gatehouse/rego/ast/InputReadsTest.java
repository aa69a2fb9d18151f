package dev.gatehouse.rego.ast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.rego.parser.RegoParser;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InputReadsTest {

    private static final List<String> NAMESPACE = List.of("context", "namespace");

    private static boolean readsNamespace(String rules) throws Exception {
        Module module = RegoParser.parseModule("p.rego", "package p\n\n" + rules, false);
        return InputReads.mayRead(List.of(module), NAMESPACE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "deny if input.context.namespace == \"prod\"",
            "deny if { ns := input.context.namespace; ns == \"prod\" }",
            "deny if { c := input.context; c.namespace == \"prod\" }",
            "deny if { x := input; x.context.namespace == \"prod\" }",
            "deny if { some k; input.context[k] == \"prod\" }",
            "deny if { some k; input[k].namespace == \"prod\" }",
            "deny if object.get(input, [\"context\", \"namespace\"], \"\") == \"prod\"",
            "deny if walk(input, [[\"context\", \"namespace\"], \"prod\"])",
            "import input.context as ctx\n\ndeny if ctx.namespace == \"prod\"",
            "import input\n\ndeny if input.image.user == \"\"",
            "deny if { some s in [x | x := input.context.namespace]; s == \"prod\" }",
            "deny if { every c in input.containers { c.name != input.context.namespace } }",
            "deny if not { input.context.namespace != \"prod\" }",
            "default allow := false\n\nallow if false\n\nelse := true if input.context.namespace == \"dev\"",
            "f(x) := x\n\ndeny if f(input.context) == {}",
            "deny if data.other[input.context.namespace]",
            "deny := {input.context.namespace: true}",
            "ok if true\n\ndeny if { ok with input.context.namespace as \"dev\" }",
    })
    void aReferenceThatCouldReachTheNamespaceIsARead(String rules) throws Exception {
        assertThat(readsNamespace(rules)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "deny if time.parse_rfc3339_ns(input.context.now) > 0",
            "deny if { some f in input.findings; f.severity == \"critical\" }",
            "deny if input.image.config.user == \"\"",
            "import input.findings as found\n\ndeny if count(found) > 0",
            "deny if data.settings.namespace == \"prod\"",
            "deny if input.context[0] == \"prod\"",
    })
    void referencesThatNameOtherKeysAreNotReads(String rules) throws Exception {
        assertThat(readsNamespace(rules)).isFalse();
    }
}
