package dev.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.rego.bundle.BundleVerification;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyBundleTest {

    private static final String POLICY = """
            package gatehouse.main

            deny contains {"policy": "P1", "severity": "high", "message": msg, "evidence": "/image/config/user"} if {
            	input.image.config.user == "root"
            	msg := concat(" ", ["runs as", input.image.config.user])
            }

            deny contains "plain message" if input.plain

            warn contains {"policy": "W1", "severity": "low", "message": "no labels"} if not input.image.config.labels

            decision := {"allow": count(deny) == 0, "deny": deny, "warn": warn}
            """;

    private static PolicyBundle bundle(String data) throws PolicyException {
        return PolicyBundle.fromFiles("test", Map.of(
                "main.rego", POLICY.getBytes(StandardCharsets.UTF_8),
                "data.json", data.getBytes(StandardCharsets.UTF_8)), BundleVerification.NONE, null);
    }

    @Test
    void denyWarnAndAllowFollowTheDecisionObject() throws Exception {
        PolicyBundle b = bundle("{}");
        Decision root = b.evaluate(UntrustedJson.parse("{\"image\":{\"config\":{\"user\":\"root\",\"labels\":{\"a\":\"b\"}}}}", "in"), s -> { });
        assertThat(root.outcome()).isEqualTo(Decision.Outcome.DENY);
        assertThat(root.denials()).containsExactly(new Violation("P1", "high", "runs as root", "/image/config/user"));

        Decision warn = b.evaluate(UntrustedJson.parse("{\"image\":{\"config\":{\"user\":\"1000\"}}}", "in"), s -> { });
        assertThat(warn.outcome()).isEqualTo(Decision.Outcome.WARN);
        assertThat(warn.warnings()).extracting(Violation::policy).containsExactly("W1");

        Decision plain = b.evaluate(UntrustedJson.parse("{\"plain\":true,\"image\":{\"config\":{\"labels\":{\"a\":\"b\"}}}}", "in"), s -> { });
        assertThat(plain.denials()).extracting(Violation::message).containsExactly("plain message");
    }

    @Test
    void undefinedDecisionFailsClosed() throws Exception {
        PolicyBundle b = PolicyBundle.fromFiles("empty", Map.of("x.rego", "package other\nx := 1\n".getBytes()),
                BundleVerification.NONE, null);
        assertThatThrownBy(() -> b.evaluate(UntrustedJson.parse("{}", "in"), s -> { }))
                .isInstanceOf(PolicyException.class).hasMessageContaining("fail closed");
    }

    @Test
    void aDecisionWithNeitherAllowNorDenyFailsClosed() throws Exception {
        PolicyBundle b = PolicyBundle.fromFiles("warn-only", Map.of("m.rego",
                "package gatehouse.main\ndecision := {\"warn\": []}\n".getBytes()), BundleVerification.NONE, null);
        assertThatThrownBy(() -> b.evaluate(UntrustedJson.parse("{}", "in"), s -> { }))
                .isInstanceOf(PolicyException.class).hasMessageContaining("neither allow nor deny").hasMessageContaining("fail closed");
    }

    @Test
    void aDenyThatIsNotAListFailsClosed() throws Exception {
        PolicyBundle b = PolicyBundle.fromFiles("odd", Map.of("m.rego",
                "package gatehouse.main\ndecision := {\"deny\": \"root user\"}\n".getBytes()), BundleVerification.NONE, null);
        assertThatThrownBy(() -> b.evaluate(UntrustedJson.parse("{}", "in"), s -> { }))
                .isInstanceOf(PolicyException.class).hasMessageContaining(".deny must be an array or a set");
    }

    @Test
    void aDenyOnlyDecisionAllowsWhenNothingIsDenied() throws Exception {
        PolicyBundle b = PolicyBundle.fromFiles("deny-only", Map.of("m.rego",
                "package gatehouse.main\ndecision := {\"deny\": [x | x := input.bad[_]]}\n".getBytes()), BundleVerification.NONE, null);
        assertThat(b.evaluate(UntrustedJson.parse("{\"bad\": []}", "in"), s -> { }).outcome()).isEqualTo(Decision.Outcome.ALLOW);
        assertThat(b.evaluate(UntrustedJson.parse("{\"bad\": [\"x\"]}", "in"), s -> { }).outcome()).isEqualTo(Decision.Outcome.DENY);
    }

    @Test
    void malformedPolicyNamesFileLineAndColumn() {
        assertThatThrownBy(() -> PolicyBundle.fromFiles("bad", Map.of("bad.rego", "package p\nallow if {\n".getBytes()),
                BundleVerification.NONE, null))
                .isInstanceOf(PolicyException.class).hasMessageContaining("bad.rego:");
    }

    @Test
    void revisionFallsBackToContentDigestAndChangesWithData() throws Exception {
        PolicyBundle a = bundle("{\"x\":1}");
        PolicyBundle b = bundle("{\"x\":2}");
        assertThat(a.revision()).startsWith("sha256:").isNotEqualTo(b.revision());
        assertThat(a.withData(UntrustedJson.parse("{\"y\":1}", "d")).revision()).isNotEqualTo(a.revision());
    }

    @Test
    void aPolicyReadingTheNamespaceOrTriggerReadsTheCallerContextAndTheHardenedBundleDoesNot() throws Exception {
        assertThat(PolicyBundle.hardened().readsCallerContext()).isFalse();
        assertThat(bundle("{}").readsCallerContext()).isFalse();
        for (String read : new String[] {"input.context.namespace == \"prod\"", "input.context.trigger == \"admission\"",
                "object.get(input.context, \"namespace\", \"\") == \"prod\""}) {
            PolicyBundle b = PolicyBundle.fromFiles("test", Map.of("main.rego",
                    ("package gatehouse.main\ndeny contains \"x\" if " + read + "\ndecision := {\"deny\": deny}\n").getBytes()),
                    BundleVerification.NONE, null);
            assertThat(b.readsCallerContext()).as(read).isTrue();
        }
    }

    @Test
    void dataOverridesChangeTheRevisionOfABundleThatNamesOne() throws Exception {
        PolicyBundle hardened = PolicyBundle.hardened();
        PolicyBundle strict = hardened.withData(UntrustedJson.parse("{\"gatehouse\":{\"settings\":{\"x\":1}}}", "d"));
        PolicyBundle lenient = hardened.withData(UntrustedJson.parse("{\"gatehouse\":{\"settings\":{\"x\":2}}}", "d"));
        assertThat(strict.revision()).startsWith(hardened.revision() + "+data-").isNotEqualTo(lenient.revision());
        assertThat(hardened.withData(UntrustedJson.parse("{\"gatehouse\":{\"settings\":{\"x\":1}}}", "d")).revision())
                .isEqualTo(strict.revision());
    }
}
