package dev.gatehouse.rego.builtins.graphql;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GraphQL text from policy input: parsed as a query and as a schema, rendered, built into a schema
 * and validated against one; the result is an AST, a syntax error or a schema error, never another
 * exception, a stack overflow or a hang.
 */
class GraphQlParserFuzzTest {

    private static final List<String> DOCUMENTS = List.of("""
            query Q($id: ID! = "x", $f: [Int!]! @d) @op { a: employee(id: $id) { ...F ... on T @skip(if: true) { b } } }
            fragment F on Employee { name(first: 1.5e3, o: {k: [null, ENUM, \"""block\"""]}) }
            mutation { m } subscription S { s }
            """, """
            "desc" schema @s { query: Query mutation: M }
            type Query implements & I & J @d(a: 1) { f(a: Int = 1 @x, b: [In!]!): [T!]! }
            interface I { f: Int } union U = | A | B  enum E { A @deprecated B }
            input In { x: Int = 2 y: [In] } scalar S @specifiedBy(url: "u")
            directive @d(a: Int) repeatable on FIELD | OBJECT
            extend type Query { g: Int } extend schema @s extend union U = C extend enum E { C }
            """, "{ a { b { c { d } } } }", "type Query { a(x: In!): Int } input In { self: In! }");

    private static final Ast.SchemaDocument SCHEMA;

    static {
        try {
            SCHEMA = Parser.parseSchema("type Query { employee(id: ID): Employee } type Employee { name(first: Float): String }"
                    + " type T { b: Int }");
        } catch (Parser.SyntaxError e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Stream<Arguments> documents() {
        return DOCUMENTS.stream().flatMap(d -> {
            byte[] b = d.getBytes(StandardCharsets.UTF_8);
            return Stream.of(b, Arrays.copyOf(b, b.length / 2), Arrays.copyOf(b, b.length * 2 / 3));
        }).map(b -> Arguments.of((Object) b));
    }

    @MethodSource("documents")
    @FuzzTest
    void graphqlTextParsesValidatesOrIsRejected(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            Ast.QueryDocument query = Parser.parseQuery(text);
            AstValues.query(query);
            QueryValidator.describe(QueryValidator.validate(SchemaBuilder.build(SCHEMA), query));
        } catch (Parser.SyntaxError rejected) {
            oneLine(rejected.getMessage());
        }
        try {
            Ast.SchemaDocument schema = Parser.parseSchema(text);
            AstValues.schema(schema);
            SchemaBuilder.build(schema);
        } catch (Parser.SyntaxError rejected) {
            oneLine(rejected.getMessage());
        } catch (SchemaBuilder.SchemaError rejected) {
            oneLine(rejected.located());
        }
    }

    private static void oneLine(String message) {
        if (message == null || message.contains("\n")) {
            throw new AssertionError("a rejection must be one line, got: " + message);
        }
    }
}
