package dev.gatehouse.rego.builtins.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.rego.eval.EvalOptions;
import dev.gatehouse.rego.eval.Policy;
import dev.gatehouse.rego.eval.RegoException;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.Value;
import dev.gatehouse.rego.value.ValueJson;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** graphql.* builtins as policies call them, with the documents written here. */
class GraphQlBuiltinsTest {

    private static final String SCHEMA = """
            schema { query: Query mutation: Mutation }
            type Query {
              employee(id: ID!): Employee
              employees(filter: EmployeeFilter, first: Int = 10): [Employee!]!
              search(text: String!): [SearchResult]
            }
            type Mutation { raise(id: ID!, percent: Float!): Employee }
            interface Person { name: String! }
            type Employee implements Person { id: ID! name: String! salary: Int! grade: Grade manager: Employee }
            type Contractor implements Person { name: String! agency: String }
            union SearchResult = Employee | Contractor
            enum Grade { JUNIOR SENIOR PRINCIPAL }
            input EmployeeFilter { grade: Grade nameContains: String }
            """;

    private static Value eval(String rule, Map<String, String> documents) throws Exception {
        StringBuilder src = new StringBuilder("package t\n\n");
        documents.forEach((name, text) -> src.append(name).append(" := `").append(text).append("`\n\n"));
        src.append(rule).append('\n');
        Policy p = Policy.fromSources(Map.of("t.rego", src.toString()), ObjectValue.EMPTY, false);
        List<Policy.Solution> out = p.query("x := data.t.p", null, EvalOptions.DEFAULT.strict(true), line -> { });
        return out.isEmpty() ? null : out.get(0).bindings().get("x");
    }

    private static Value json(String text) {
        return ValueJson.parse(text);
    }

    @Test
    void parseQueryReturnsGqlparserShapedAstWithoutPositionsOrNulls() throws Exception {
        Value ast = eval("p := graphql.parse_query(q)", Map.of("q", """
                query Pay($id: ID!, $pct: Float = 1.5) @audit {
                  e: employee(id: $id) { name ...Money ... on Employee @skip(if: false) { grade } }
                }
                fragment Money on Employee { salary }
                """));
        assertThat(ast).isEqualTo(json("""
                {"Operations": [{"Name": "Pay", "Operation": "query",
                  "Directives": [{"Name": "audit", "Location": ""}],
                  "VariableDefinitions": [
                    {"Variable": "id", "Type": {"NamedType": "ID", "NonNull": true}, "Used": false},
                    {"Variable": "pct", "Type": {"NamedType": "Float", "NonNull": false}, "Used": false,
                     "DefaultValue": {"Raw": "1.5", "Kind": 2, "ExpectedTypeHasDefault": false}}],
                  "SelectionSet": [{"Alias": "e", "Name": "employee",
                    "Arguments": [{"Name": "id", "Value": {"Raw": "id", "Kind": 0, "ExpectedTypeHasDefault": false}}],
                    "SelectionSet": [
                      {"Alias": "name", "Name": "name"},
                      {"Name": "Money"},
                      {"TypeCondition": "Employee",
                       "Directives": [{"Name": "skip", "Location": "",
                         "Arguments": [{"Name": "if", "Value": {"Raw": "false", "Kind": 5, "ExpectedTypeHasDefault": false}}]}],
                       "SelectionSet": [{"Alias": "grade", "Name": "grade"}]}]}]}],
                 "Fragments": [{"Name": "Money", "TypeCondition": "Employee",
                   "SelectionSet": [{"Alias": "salary", "Name": "salary"}]}]}
                """));
    }

    @Test
    void blockStringsLoseCommonIndentationAndEscapesAreDecoded() throws Exception {
        Value ast = eval("p := graphql.parse_query(q).Operations[0].SelectionSet[0].Arguments", Map.of("q",
                "{ f(a: \"\"\"\n    first\n      second\n\"\"\", b: \"tab\\tu\\u00e9\") }"));
        assertThat(ast).isEqualTo(json("""
                [{"Name": "a", "Value": {"Raw": "first\\n  second", "Kind": 4, "ExpectedTypeHasDefault": false}},
                 {"Name": "b", "Value": {"Raw": "tab\\tu\\u00e9", "Kind": 3, "ExpectedTypeHasDefault": false}}]
                """));
    }

    @Test
    void syntaxErrorsNameTheFirstProblemAndItsRuneColumnAsGqlparserDoes() {
        assertThatThrownBy(() -> eval("p := graphql.parse_query(q)", Map.of("q", "{ f(a: \"ਊ\" b: ) }")))
                .isInstanceOf(RegoException.class)
                .hasMessageContaining("graphql.parse_query: Unexpected ) in GraphQL string at location 1:15");
        assertThatThrownBy(() -> eval("p := graphql.parse_schema(s)", Map.of("s", "type T { f: Int }\nscalar 'x'")))
                .hasMessageContaining("graphql.parse_schema: Expected Name, found <Invalid> in GraphQL string at location 2:8");
        assertThatThrownBy(() -> eval("p := graphql.parse_schema(s)", Map.of("s", "schema { 'q': Query }")))
                .hasMessageContaining("graphql.parse_schema: Unexpected single quote character ('), did you mean to use"
                        + " a double quote (\")? in GraphQL string at location 1:10");
        assertThatThrownBy(() -> eval("p := graphql.parse_query(q)", Map.of("q", "{ f(n: 012) }")))
                .hasMessageContaining("Unexpected <Invalid> in GraphQL string at location 1:9");
    }

    @Test
    void deeplyNestedDocumentsAreRefusedWithoutExhaustingTheStack() {
        String deep = "{ f(v: " + "[".repeat(100_000) + ") }";
        assertThatThrownBy(() -> eval("p := graphql.parse_query(q)", Map.of("q", deep)))
                .hasMessageContaining("document nested deeper than 128 levels");
        String deepSelections = "{ a ".repeat(5_000) + "}".repeat(5_000);
        assertThatThrownBy(() -> eval("p := graphql.parse_query(q)", Map.of("q", deepSelections)))
                .hasMessageContaining("document nested deeper than 128 levels");
    }

    @Test
    void deeplyNestedAstObjectsAreRefusedWithoutRetryingEachLevel() throws Exception {
        // A selection that fails to decode as a field is retried as a spread and an inline fragment ("name" is
        // a spread's Name, which must be a string); a depth failure must not be retried at every level.
        String deep = "{\"Operations\": [{\"Operation\": \"query\", \"SelectionSet\": "
                + "[{\"name\": 1, \"SelectionSet\": ".repeat(300) + "[]" + "}]".repeat(300) + "}]}";
        assertThat(eval("p := graphql.is_valid(json.unmarshal(q), s)", Map.of("s", SCHEMA, "q", deep)))
                .isEqualTo(Value.of(false));
        assertThatThrownBy(() -> eval("p := graphql.parse(json.unmarshal(q), s)", Map.of("s", SCHEMA, "q", deep)))
                .hasMessageContaining("GraphQL AST object nested deeper than 256 levels");
    }

    @Test
    void parseSchemaKeepsExtensionsApartFromDefinitions() throws Exception {
        Value ast = eval("p := graphql.parse_schema(s)", Map.of("s", """
                "People" interface Person { name: String! }
                extend enum Grade @deprecated { STAFF }
                directive @audit(level: Int = 1) repeatable on QUERY | FIELD
                """));
        assertThat(ast).isEqualTo(json("""
                {"Definitions": [{"Kind": "INTERFACE", "Description": "People", "Name": "Person", "BuiltIn": false,
                   "Fields": [{"Description": "", "Name": "name", "Type": {"NamedType": "String", "NonNull": true}}]}],
                 "Extensions": [{"Kind": "ENUM", "Description": "", "Name": "Grade", "BuiltIn": false,
                   "Directives": [{"Name": "deprecated", "Location": ""}],
                   "EnumValues": [{"Description": "", "Name": "STAFF"}]}],
                 "Directives": [{"Description": "", "Name": "audit", "IsRepeatable": true, "Locations": ["QUERY", "FIELD"],
                   "Arguments": [{"Description": "", "Name": "level", "Type": {"NamedType": "Int", "NonNull": false},
                     "DefaultValue": {"Raw": "1", "Kind": 1, "ExpectedTypeHasDefault": false}}]}]}
                """));
    }

    @Test
    void isValidAcceptsQueriesThatFollowEverySpecifiedRule() throws Exception {
        assertThat(eval("p := graphql.is_valid(q, s)", Map.of("s", SCHEMA, "q", """
                query Find($id: ID!, $filter: EmployeeFilter = {grade: SENIOR}) {
                  employee(id: $id) { ...Who manager { __typename name } }
                  __schema { types { name fields { name type { name } } } }
                  employees(filter: $filter) { id grade id }
                  search(text: "ann") { ... on Person { name } ... on Contractor { agency } }
                }
                fragment Who on Employee { id name salary }
                mutation { raise(id: 7, percent: 2) { salary } }
                """.replace("mutation {", "mutation Raise {")))).isEqualTo(Value.of(true));
    }

    @Test
    void isValidRejectsEachBrokenRuleWithFalse() throws Exception {
        List<String> broken = List.of(
                "{ employee(id: 1) { wage } }",
                "{ employee { name } }",
                "{ employee(id: 1, idd: 2) { name } }",
                "{ employee(id: 1) }",
                "{ employee(id: 1) { name { first } } }",
                "{ employees(first: \"ten\") { id } }",
                "{ employees(filter: {grade: BOSS}) { id } }",
                "query Q($id: ID) { employee(id: $id) { name } }",
                "query Q($unused: Int) { employees { id } }",
                "{ employee(id: $nowhere) { name } }",
                "{ employee(id: 1) { ...Missing } }",
                "{ employees { ...A } } fragment A on Employee { ...B } fragment B on Employee { ...A }",
                "{ search(text: \"x\") { ... on Grade { x } } }",
                "{ employees { id @unknown } }",
                "query A { employees { id } } query A { employees { name } }",
                "subscription { employees { id } }",
                "{ employees { id: name id } }",
                "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }",
                "{ employees { manager { id } ...M } } fragment M on Employee { manager(x: 1) { id } }",
                "{ search(text: \"a\") { ... on Employee { name: id } ... on Contractor { name: agency } } }");
        for (String q : broken) {
            assertThat(eval("p := graphql.is_valid(q, s)", Map.of("s", SCHEMA, "q", q))).as(q).isEqualTo(Value.of(false));
        }
    }

    @Test
    void longFragmentChainsAreRefusedWithoutExhaustingTheStack() throws Exception {
        StringBuilder q = new StringBuilder("{ employees { ...F0 } }\n");
        for (int i = 0; i < 20_000; i++) {
            q.append("fragment F").append(i).append(" on Employee { id ...F").append(i + 1).append(" }\n");
        }
        q.append("fragment F20000 on Employee { id }\n");
        assertThat(eval("p := graphql.is_valid(q, s)", Map.of("s", SCHEMA, "q", q.toString()))).isEqualTo(Value.of(false));
    }

    @Test
    void parseReportsTheValidationErrorAtItsQueryLocation() {
        assertThatThrownBy(() -> eval("p := graphql.parse(q, s)", Map.of("s", SCHEMA, "q", "{\n  employee { name } }")))
                .hasMessageContaining("graphql.parse: Field \"employee\" argument \"id\" of type \"ID!\" is required, "
                        + "but it was not provided in GraphQL query string at location 2:3");
        assertThatThrownBy(() -> eval("p := graphql.parse(q, s)", Map.of("s", SCHEMA, "q", "{ employees { nam } }")))
                .hasMessageContaining("Cannot query field \"nam\" on type \"Employee\". Did you mean \"name\"?");
        assertThatThrownBy(() -> eval("p := graphql.parse(q, s)", Map.of("s", SCHEMA, "q", "{ employees { id: name id } }")))
                .hasMessageContaining("graphql.parse: Fields \"id\" conflict because \"name\" and \"id\" are different "
                        + "fields. Use different aliases on the fields to fetch both if this was intentional in GraphQL query "
                        + "string at location 1:24");
    }

    @Test
    void unknownNamesAgainstAWideTypeStayCheapAndInvalid() throws Exception {
        // Every unknown name is compared with every known one for "Did you mean": a budget bounds that work.
        String longName = "f".repeat(400);
        StringBuilder schema = new StringBuilder("type Query {\n");
        for (int i = 0; i < 2_000; i++) {
            schema.append("  ").append(longName).append(i).append(": Int\n");
        }
        schema.append("}\n");
        StringBuilder q = new StringBuilder("{\n");
        for (int i = 0; i < 2_000; i++) {
            q.append("  g").append(longName).append(i).append('\n');
        }
        q.append("}\n");
        assertThat(eval("p := graphql.is_valid(q, s)", Map.of("s", schema.toString(), "q", q.toString())))
                .isEqualTo(Value.of(false));
        assertThatThrownBy(() -> eval("p := graphql.parse(q, s)", Map.of("s", SCHEMA, "q", "{ employees { nam } }")))
                .hasMessageContaining("Cannot query field \"nam\" on type \"Employee\". Did you mean \"name\"?");
    }

    @Test
    void parseReportsAnInvalidSchemaWithGqlparsersWording() {
        assertThatThrownBy(() -> eval("p := graphql.parse(q, s)", Map.of("s", "type Query { a: Missing }", "q", "{ a }")))
                .hasMessageContaining("graphql.parse: Error in gqlparser SchemaDocument to Schema conversion: "
                        + "input:1:17: Undefined type Missing.");
    }

    @Test
    void schemaIsValidChecksTheTypeSystemRules() throws Exception {
        assertThat(eval("p := graphql.schema_is_valid(s)", Map.of("s", SCHEMA))).isEqualTo(Value.of(true));
        for (String s : List.of(
                "type Query { a: Int } type Query { b: Int }",
                "type T implements Person { x: Int } interface Person { name: String }",
                "input I { self: I! } type Query { a(i: I): Int }",
                "type Query { __a: Int }",
                "type Query { a: Int @skip(if: true) }",
                "union U = String",
                "schema { query: Nope }",
                "enum E { true }")) {
            assertThat(eval("p := graphql.schema_is_valid(s)", Map.of("s", s))).as(s).isEqualTo(Value.of(false));
        }
    }

    @Test
    void astObjectsAreAcceptedWhereverTextIs() throws Exception {
        Value verified = eval("""
                p := r if {
                	[ok, q, s] := graphql.parse_and_verify(graphql.parse_query(qt), graphql.parse_schema(st))
                	r := [ok, q == graphql.parse_query(qt), s == graphql.parse_schema(st)]
                }""", Map.of("st", SCHEMA, "qt", "{ employee(id: \"e1\") { name grade } }"));
        assertThat(verified).isEqualTo(json("[true, true, true]"));
    }

    @Test
    void astObjectKeysMatchGoFieldNamesCaseInsensitively() throws Exception {
        String schema = """
                {"definitions": [{"kind": "OBJECT", "name": "Query",
                  "fields": [{"name": "a", "type": {"namedType": "Int"}}]}]}""";
        assertThat(eval("p := graphql.is_valid(`{ a }`, " + schema + ")", Map.of())).isEqualTo(Value.of(true));
        assertThat(eval("p := graphql.is_valid(`{ b }`, " + schema + ")", Map.of())).isEqualTo(Value.of(false));
    }

    @Test
    void malformedAstObjectsAndWrongOperandTypesAnswerFalseOrFail() throws Exception {
        assertThat(eval("p := graphql.is_valid({\"Operations\": 5}, `type Query { a: Int }`)", Map.of()))
                .isEqualTo(Value.of(false));
        assertThat(eval("p := graphql.schema_is_valid(42)", Map.of())).isEqualTo(Value.of(false));
        assertThat(eval("p := graphql.parse_and_verify(`{ a }`, 42)", Map.of())).isEqualTo(json("[false, {}, {}]"));
        assertThatThrownBy(() -> eval("p := graphql.parse({\"Operations\": [{\"Name\": 1}]}, `type Query { a: Int }`)",
                Map.of())).hasMessageContaining("graphql.parse: json: cannot unmarshal number");
    }

    @Test
    void parseAndVerifyReturnsFalseAndEmptyAstsForAnInvalidQuery() throws Exception {
        assertThat(eval("p := graphql.parse_and_verify(q, s)", Map.of("s", SCHEMA, "q", "{ nope }")))
                .isEqualTo(json("[false, {}, {}]"));
    }
}
