package dev.gatehouse.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * template.yaml (SAM) and terraform/ (module) describe the same stack: the same functions, the
 * same environment variable names and IAM actions per function, and no IAM statement allows every
 * action on every resource. Terraform files keep {@code terraform fmt}'s canonical layout.
 */
class DeploymentTemplatesTest {

    private static final Path REPO = repository();
    private static final Pattern ATTRIBUTE = Pattern.compile("^( *)([A-Za-z0-9_\"-]+?)( +)= (.*)$");

    private static Path repository() {
        String configured = System.getProperty("gatehouse.repo");
        Path root = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath().resolve("../..").normalize();
        return root;
    }

    /** What a deployment grants and configures for one function. */
    record FunctionSpec(Set<String> environment, Set<String> actions, List<Statement> statements) {}

    record Statement(String where, List<String> actions, List<String> resources) {}

    private static Map<String, FunctionSpec> sam() throws IOException {
        JsonNode template = new YAMLMapper().readTree(REPO.resolve("template.yaml").toFile());
        Map<String, FunctionSpec> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> resource : template.get("Resources").properties()) {
            if (!resource.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                continue;
            }
            JsonNode properties = resource.getValue().get("Properties");
            JsonNode variables = properties.path("Environment").path("Variables");
            Set<String> environment = new TreeSet<>();
            variables.fieldNames().forEachRemaining(environment::add);
            Set<String> actions = new TreeSet<>();
            List<Statement> statements = new ArrayList<>();
            for (JsonNode policy : properties.path("Policies")) {
                for (JsonNode statement : policy.path("Statement")) {
                    List<String> a = texts(statement.get("Action"));
                    actions.addAll(a);
                    statements.add(new Statement(resource.getKey() + "/" + statement.path("Sid").asText(), a,
                            texts(statement.get("Resource"))));
                }
            }
            String export = variables.path("QUARKUS_FUNQY_EXPORT").asText();
            assertThat(export).as(resource.getKey() + " QUARKUS_FUNQY_EXPORT").isNotEmpty();
            assertThat(out.put(export, new FunctionSpec(environment, actions, statements))).as("export " + export + " twice").isNull();
        }
        return out;
    }

    /** Strings of an Action/Resource value; intrinsic functions (Ref, Fn::GetAtt...) become their JSON text. */
    private static List<String> texts(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
        } else {
            out.add(node.isTextual() ? node.asText() : node.toString());
        }
        return out;
    }

    private static Map<String, FunctionSpec> terraform() throws IOException {
        String main = Files.readString(REPO.resolve("terraform/main.tf"));
        assertThat(main).as("every function gets QUARKUS_FUNQY_EXPORT = its key")
                .contains("{ QUARKUS_FUNQY_EXPORT = each.key }");
        String locals = HclScanner.block(main, "(?m)^locals");
        String functions = HclScanner.block(locals, "(?m)^  functions\\s*=");
        Map<String, Map<String, String>> shared = Map.of("iam_statements",
                HclScanner.objectEntries(HclScanner.block(locals, "(?m)^  iam_statements\\s*=")));
        Map<String, FunctionSpec> out = new TreeMap<>();
        for (Map.Entry<String, String> function : HclScanner.objectEntries(functions).entrySet()) {
            Set<String> environment = new TreeSet<>(HclScanner.strings(function.getValue(), "environment"));
            environment.add("QUARKUS_FUNQY_EXPORT");
            Set<String> actions = new TreeSet<>();
            List<Statement> statements = new ArrayList<>();
            for (String statement : HclScanner.objectsOfList(function.getValue(), "statements", shared)) {
                List<String> a = HclScanner.strings(statement, "actions");
                actions.addAll(a);
                Matcher resources = Pattern.compile("resources\\s*=\\s*(.*)").matcher(statement);
                assertThat(resources.find()).as(function.getKey() + " statement has resources").isTrue();
                List<String> r = resources.group(1).startsWith("[") ? HclScanner.items(statement, "resources")
                        : List.of(resources.group(1).strip());
                statements.add(new Statement(function.getKey() + "/" + statement.strip().lines().findFirst().orElse("").replaceAll("\\s+", " "), a, r));
            }
            out.put(function.getKey(), new FunctionSpec(environment, actions, statements));
        }
        return out;
    }

    @Test
    void samAndTerraformDeclareTheSameFunctionsEnvironmentNamesAndIamActions() throws IOException {
        Map<String, FunctionSpec> sam = sam();
        Map<String, FunctionSpec> terraform = terraform();
        assertThat(sam.keySet()).containsExactlyInAnyOrder("registry-push", "admission", "compliance-scan", "compliance-scan-worker",
                "rebuild-status");
        assertThat(terraform.keySet()).isEqualTo(sam.keySet());
        for (String function : sam.keySet()) {
            assertThat(terraform.get(function).environment()).as(function + " environment").isEqualTo(sam.get(function).environment());
            assertThat(terraform.get(function).actions()).as(function + " IAM actions").isEqualTo(sam.get(function).actions());
        }
    }

    @Test
    void rebuildStatusGetsTheEndOfRebuildProjectBuildsAndKeepsFailedEventsInBoth() throws IOException {
        JsonNode function = new YAMLMapper().readTree(REPO.resolve("template.yaml").toFile()).path("Resources").path("RebuildStatusFunction");
        JsonNode pattern = function.path("Properties").path("Events").path("CodeBuildStateChange").path("Properties").path("Pattern");
        assertThat(pattern.path("source").toString()).isEqualTo("[\"aws.codebuild\"]");
        assertThat(pattern.path("detail-type").toString()).isEqualTo("[\"CodeBuild Build State Change\"]");
        assertThat(pattern.at("/detail/project-name/0/prefix").asText()).isEqualTo("gatehouse-rebuild-");
        assertThat(pattern.at("/detail/build-status").toString()).doesNotContain("IN_PROGRESS").contains("FAILED", "SUCCEEDED", "TIMED_OUT");
        assertThat(function.at("/Properties/DeadLetterQueue/Type").asText()).isEqualTo("SQS");

        String main = Files.readString(REPO.resolve("terraform/main.tf"));
        String rule = HclScanner.block(main, "resource \"aws_cloudwatch_event_rule\" \"codebuild_state_change\"");
        assertThat(rule).contains("[\"aws.codebuild\"]", "[\"CodeBuild Build State Change\"]", "prefix = \"gatehouse-rebuild-\"")
                .doesNotContain("IN_PROGRESS");
        assertThat(HclScanner.block(main, "resource \"aws_cloudwatch_event_target\" \"codebuild_state_change\""))
                .contains("aws_lambda_alias.live[\"rebuild-status\"].arn");
        assertThat(main).contains("\"rebuild-status\" = aws_sqs_queue.rebuild_status_dead_letter.arn", "dynamic \"dead_letter_config\"");
    }

    @Test
    void noIamStatementAllowsEveryActionOrAWholeServiceOnEveryResource() throws IOException {
        List<Statement> statements = new ArrayList<>();
        sam().values().forEach(f -> statements.addAll(f.statements()));
        terraform().values().forEach(f -> statements.addAll(f.statements()));
        assertThat(statements).hasSizeGreaterThan(8).allSatisfy(s -> {
            assertThat(s.actions()).as(s.where()).isNotEmpty().noneMatch(a -> a.equals("*") || a.endsWith(":*"));
            assertThat(s.resources()).as(s.where()).isNotEmpty();
            if (s.resources().contains("*")) {
                assertThat(s.actions()).as(s.where() + " on resource *").containsExactly("ecr:GetAuthorizationToken");
            }
        });
    }

    @Test
    void everyEnvironmentVariableIsDocumentedInDeployMd() throws IOException {
        String docs = Files.readString(REPO.resolve("docs/deploy.md"));
        Set<String> names = new TreeSet<>();
        sam().values().forEach(f -> names.addAll(f.environment()));
        assertThat(names).contains("GATEHOUSE_RESULTS_TABLE", "GATEHOUSE_CACHE_TABLE", "GATEHOUSE_IDEMPOTENCY_TABLE",
                "GATEHOUSE_GRAPH_TABLE", "GATEHOUSE_BUNDLE_BUCKET", "GATEHOUSE_REPORT_BUCKET", "GATEHOUSE_SCAN_QUEUE_URL",
                "GATEHOUSE_EVENT_BUS", "GATEHOUSE_POLICY_REVISION", "QUARKUS_FUNQY_EXPORT");
        assertThat(names).allSatisfy(name -> assertThat(docs).as("docs/deploy.md documents " + name).contains("`" + name + "`"));
    }

    @Test
    void samFunctionsShareOneArtifactHandlerRuntimeAndSnapStart() throws IOException {
        JsonNode globals = new YAMLMapper().readTree(REPO.resolve("template.yaml").toFile()).path("Globals").path("Function");
        assertThat(globals.path("CodeUri").asText()).isEqualTo("functions/lambda/target/function.zip");
        assertThat(globals.path("Handler").asText()).isEqualTo("io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest");
        assertThat(globals.path("Runtime").asText()).isEqualTo("java21");
        assertThat(globals.path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
        assertThat(globals.path("AutoPublishAlias").asText()).isNotEmpty();
    }

    @Test
    void terraformFilesKeepCanonicalFormatting() throws Exception {
        List<Path> files;
        try (Stream<Path> list = Files.list(REPO.resolve("terraform"))) {
            files = list.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).contains("main.tf", "variables.tf", "outputs.tf", "versions.tf");
        for (Path file : files) {
            List<String> problems = formattingProblems(Files.readString(file));
            assertThat(problems).as(file.getFileName().toString()).isEmpty();
        }
        Path terraform = Path.of("/usr/local/bin/terraform");
        if (Files.isExecutable(terraform)) {
            ProcessBuilder fmt = new ProcessBuilder(terraform.toString(), "fmt", "-check", "-diff", REPO.resolve("terraform").toString())
                    .redirectErrorStream(true);
            fmt.environment().put("CHECKPOINT_DISABLE", "1");
            Process process = fmt.start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("terraform fmt -check: " + output).isZero();
        }
    }

    /**
     * The layout rules of {@code terraform fmt} this module relies on: two-space indentation, no
     * tabs or trailing blanks, one final newline, and the {@code =} of consecutive single-line
     * attributes at one indentation aligned one space after the longest name.
     */
    static List<String> formattingProblems(String text) {
        List<String> problems = new ArrayList<>();
        if (!text.endsWith("\n") || text.endsWith("\n\n")) {
            problems.add("file must end with exactly one newline");
        }
        String[] lines = text.split("\n", -1);
        List<Integer> group = new ArrayList<>();
        int groupIndent = -1;
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i] : "";
            if (line.contains("\t")) {
                problems.add("line " + (i + 1) + ": tab");
            }
            if (!line.equals(line.stripTrailing())) {
                problems.add("line " + (i + 1) + ": trailing blank");
            }
            int indent = line.length() - line.stripLeading().length();
            if (indent % 2 != 0) {
                problems.add("line " + (i + 1) + ": indentation not a multiple of two");
            }
            Matcher m = ATTRIBUTE.matcher(line);
            boolean singleLine = m.matches() && balanced(m.group(4));
            if (!singleLine || m.group(1).length() != groupIndent) {
                checkAlignment(lines, group, problems);
                group.clear();
                groupIndent = -1;
            }
            if (singleLine) {
                group.add(i);
                groupIndent = m.group(1).length();
            }
        }
        return problems;
    }

    private static void checkAlignment(String[] lines, List<Integer> group, List<String> problems) {
        int longest = 0;
        for (int i : group) {
            Matcher m = ATTRIBUTE.matcher(lines[i]);
            m.matches();
            longest = Math.max(longest, m.group(2).length());
        }
        for (int i : group) {
            Matcher m = ATTRIBUTE.matcher(lines[i]);
            m.matches();
            if (m.group(2).length() + m.group(3).length() != longest + 1) {
                problems.add("line " + (i + 1) + ": '=' not aligned with the neighbouring attributes");
            }
        }
    }

    /** Whether an attribute value opens no bracket it does not close on the same line. */
    private static boolean balanced(String value) {
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                try {
                    i = HclScanner.stringEnd(value, i);
                } catch (AssertionError e) {
                    return false;
                }
            } else if (c == '#') {
                break;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                depth--;
            }
        }
        return depth == 0;
    }

    @Test
    void formattingCheckFindsMisalignedAndTabbedAttributes() {
        assertThat(formattingProblems("locals {\n  a = 1\n  bbb = 2\n}\n")).containsExactly("line 2: '=' not aligned with the neighbouring attributes");
        assertThat(formattingProblems("locals {\n  a   = 1\n  bbb = 2\n}\n")).isEmpty();
        assertThat(formattingProblems("locals {\n\ta = 1\n}")).contains("line 2: tab", "file must end with exactly one newline");
    }
}
