package dev.gatehouse.rego.parser;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.rego.ast.Module;
import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.eval.Policy;
import dev.gatehouse.rego.eval.RegoException;
import dev.gatehouse.rego.value.ObjectValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rego source from a policy bundle: parsed (v1 and v0 syntax) and compiled, it becomes a policy or
 * a {@link RegoParseException} / {@link RegoException} with a one-line message; never another
 * exception, a stack overflow or a hang.
 */
class RegoParserFuzzTest {

    private static final List<String> MODULES = List.of("""
            package gatehouse.main

            import rego.v1
            import data.gatehouse.lib

            default allow := false

            # METADATA
            # title: deny root
            # custom:
            #   severity: high
            deny contains msg if {
                some c in input.image.config
                c.user in {"", "root", "0"}
                msg := sprintf("image %s runs as root", [input.image.name])
            }

            allow if count(deny) == 0

            decision := {"allow": allow, "violations": [v | some v in deny]}

            f(x) := y if { y := x * 2 } else := 0

            components[name] := version if {
                some c in input.sbom.components
                name := c.name
                version := object.get(c, "version", "")
            }

            critical := [f | f := input.findings[_]; f.severity == "CRITICAL"; not f.vex_suppressed]
            """, """
            package lib

            deny[msg] {
                input.x[i] = y
                y > 1.5e3
                not startswith(input.name, "ok")
                msg = concat("", ["bad ", input.name])
            }

            p = {k: v | v = input.m[k]} { true }
            q { every x in input.xs { x != null } }
            r := `raw string` { 1 < 2; 3 >= 3 }
            s contains x if { x := {1, 2, 3} & {2, 3} | {4}; some y, z in [[1, 2]] }
            """, """
            package t
            import future.keywords.in
            test_allow if { data.gatehouse.main.allow with input as {"image": {"config": [{"user": "app"}]}} }
            t := x if { x := [1, 2, 3][1]; x == -2 + 4 } else := null
            """);

    static Stream<Arguments> sources() {
        return MODULES.stream().flatMap(m -> {
            byte[] b = m.getBytes(StandardCharsets.UTF_8);
            return Stream.of(b, Arrays.copyOf(b, b.length / 2), Arrays.copyOf(b, b.length * 3 / 4));
        }).map(b -> Arguments.of((Object) b));
    }

    @MethodSource("sources")
    @FuzzTest
    void regoSourceParsesAndCompilesOrIsRejected(byte[] input) throws Exception {
        String source = new String(input, StandardCharsets.UTF_8);
        for (boolean v0 : new boolean[] {false, true}) {
            try {
                Module module = RegoParser.parseModule("fuzz.rego", source, v0);
                Policy.compile(List.of(module), ObjectValue.EMPTY, BuiltinRegistry.standard());
            } catch (RegoParseException | RegoException e) {
                if (e.getMessage() == null || e.getMessage().contains("\n")) {
                    throw new AssertionError("a rejection must be one line, got: " + e.getMessage(), e);
                }
            }
        }
    }
}
