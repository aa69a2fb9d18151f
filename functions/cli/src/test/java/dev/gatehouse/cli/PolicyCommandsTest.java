package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCommandsTest {

    @TempDir
    Path tmp;

    private Path bundle() throws Exception {
        Path dir = tmp.resolve("bundle");
        Files.createDirectories(dir.resolve("authz"));
        Files.writeString(dir.resolve(".manifest"), "{\"revision\":\"7\",\"roots\":[\"authz\"]}");
        Files.writeString(dir.resolve("authz/policy.rego"), """
                package authz

                default allow := false

                allow if input.user in data.authz.admins

                test_admin if allow with input as {"user": "root"}

                test_guest if allow with input as {"user": "guest"}
                """);
        Files.writeString(dir.resolve("authz/data.json"), "{\"admins\": [\"root\"]}");
        return dir;
    }

    @Test
    void evalPrintsOpaStyleJson() throws Exception {
        Path in = tmp.resolve("input.json");
        Files.writeString(in, "{\"user\": \"root\"}");
        CliRun r = CliRun.of("policy", "eval", "--bundle", bundle().toString(), "--input", in.toString(), "data.authz.allow");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("\"result\"").contains("\"value\" : true").contains("\"text\" : \"data.authz.allow\"");
    }

    @Test
    void evalOfAnUndefinedQueryPrintsAnEmptyObjectAndFailsWithFail() throws Exception {
        CliRun r = CliRun.of("policy", "eval", "--bundle", bundle().toString(), "--fail", "data.authz.nothing");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out().strip()).isEqualTo("{ }");
    }

    @Test
    void malformedPolicyIsOneLineWithFileLineColumn() throws Exception {
        Path dir = tmp.resolve("bad");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("p.rego"), "package p\n\nallow if {\n\tinput.x ==\n}\n");
        CliRun r = CliRun.of("policy", "eval", "--bundle", dir.toString(), "data.p.allow");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.firstErrorLine()).contains("p.rego:5:1: rego_parse_error");
    }

    @Test
    void testCommandReportsFailuresAndExitsOne() throws Exception {
        CliRun r = CliRun.of("policy", "test", "-v", bundle().toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("data.authz.test_admin: PASS").contains("data.authz.test_guest: FAIL").contains("PASS: 1/2");
    }

    @Test
    void conformanceCommandEndsWithTheCounts() throws Exception {
        Path cases = tmp.resolve("cases.yaml");
        Files.writeString(cases, """
                cases:
                  - note: ok
                    query: data.t.p = x
                    modules:
                      - |
                        package t

                        p := 1 + 1
                    want_result:
                      - x: 2
                  - note: wrong
                    query: data.t.p = x
                    modules:
                      - |
                        package t

                        p := 3
                    want_result:
                      - x: 2
                """);
        CliRun r = CliRun.of("rego", "conformance", cases.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out().strip()).endsWith("1 passed, 1 failed");
    }
}
