package dev.gatehouse.rego.bench;

import dev.gatehouse.rego.eval.EvalOptions;
import dev.gatehouse.rego.eval.Policy;
import dev.gatehouse.rego.parser.RegoParseException;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Measures evaluations per second of two representative policies (no JMH: a timed loop after warm-up). */
public final class RegoBenchmark {

    static final String SMALL = """
            package authz

            default allow := false

            allow if {
            	input.method == "GET"
            	input.user in data.readers
            }

            allow if {
            	input.user in data.admins
            }

            deny contains msg if {
            	not allow
            	msg := concat(" ", ["denied:", input.user])
            }
            """;

    static final String GATE = """
            package gate

            components_by_purl := {c.purl: c | some c in input.components}

            banned_licenses := {"AGPL-3.0", "SSPL-1.0"}

            not_affected := {v.cve | some v in input.vex; v.status == "not_affected"}

            deny contains msg if {
            	some f in input.findings
            	f.severity == "CRITICAL"
            	not f.cve in not_affected
            	c := components_by_purl[f.purl]
            	msg := concat(" ", [f.cve, "in", c.name])
            }

            deny contains msg if {
            	some c in input.components
            	c.license in banned_licenses
            	msg := concat(" ", ["license", c.license, "in", c.name])
            }

            high_count := count([f | some f in input.findings; f.severity == "HIGH"])

            decision := {"allow": count(deny) == 0, "deny": deny, "high": high_count}
            """;

    private RegoBenchmark() {
    }

    /** One measured policy. */
    public record Result(String name, long evaluations, double seconds) {
        public double perSecond() {
            return evaluations / seconds;
        }
    }

    public static List<Result> run(PrintStream out, double secondsEach) throws RegoParseException {
        List<Result> results = new ArrayList<>();
        ObjectValue data = (ObjectValue) ValueJson.parse("{\"readers\":[\"alice\",\"bob\",\"carol\"],\"admins\":[\"root\"]}");
        Policy small = Policy.fromSources(Map.of("authz.rego", SMALL), data, false);
        Value smallInput = ValueJson.parse("{\"method\":\"GET\",\"user\":\"bob\"}");
        results.add(measure("small allow/deny policy", small, "data.authz.allow", smallInput, secondsEach));
        Policy gate = Policy.fromSources(Map.of("gate.rego", GATE), ObjectValue.EMPTY, false);
        Value gateInput = gateInput(2000, 5000);
        results.add(measure("2,000 findings x 5,000 SBOM components", gate, "data.gate.decision", gateInput, secondsEach));
        for (Result r : results) {
            out.printf(java.util.Locale.ROOT, "%s: %.1f evals/s (%d evaluations in %.2f s)%n", r.name(), r.perSecond(), r.evaluations(), r.seconds());
        }
        return results;
    }

    static Value gateInput(int findings, int components) {
        ObjectValue.Builder in = ObjectValue.builder();
        List<Value> comps = new ArrayList<>();
        for (int i = 0; i < components; i++) {
            comps.add(ObjectValue.builder()
                    .put("purl", Value.of("pkg:maven/org.example/lib" + i + "@1." + (i % 10)))
                    .put("name", Value.of("lib" + i))
                    .put("license", Value.of(i % 997 == 0 ? "AGPL-3.0" : "Apache-2.0"))
                    .build());
        }
        List<Value> fs = new ArrayList<>();
        String[] sev = {"LOW", "MEDIUM", "HIGH", "CRITICAL"};
        for (int i = 0; i < findings; i++) {
            fs.add(ObjectValue.builder()
                    .put("cve", Value.of("CVE-2024-" + (10000 + i)))
                    .put("severity", Value.of(sev[i % 4]))
                    .put("purl", Value.of("pkg:maven/org.example/lib" + (i * 7 % components) + "@1." + ((i * 7 % components) % 10)))
                    .build());
        }
        List<Value> vex = new ArrayList<>();
        for (int i = 0; i < findings; i += 8) {
            vex.add(ObjectValue.builder().put("cve", Value.of("CVE-2024-" + (10000 + i + 3))).put("status", Value.of("not_affected")).build());
        }
        return in.put("components", ArrayValue.of(comps)).put("findings", ArrayValue.of(fs)).put("vex", ArrayValue.of(vex)).build();
    }

    private static Result measure(String name, Policy p, String query, Value input, double seconds) throws RegoParseException {
        long warmEnd = System.nanoTime() + (long) (seconds * 0.5e9);
        while (System.nanoTime() < warmEnd) {
            once(p, query, input);
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long n = 0;
        while (System.nanoTime() < end) {
            once(p, query, input);
            n++;
        }
        return new Result(name, n, (System.nanoTime() - start) / 1e9);
    }

    private static void once(Policy p, String query, Value input) throws RegoParseException {
        if (p.query(query, input, EvalOptions.DEFAULT, s -> { }).isEmpty()) {
            throw new IllegalStateException("benchmark query " + query + " is undefined");
        }
    }

    public static void main(String[] args) throws RegoParseException {
        run(System.out, args.length > 0 ? Double.parseDouble(args[0]) : 2.0);
    }
}
