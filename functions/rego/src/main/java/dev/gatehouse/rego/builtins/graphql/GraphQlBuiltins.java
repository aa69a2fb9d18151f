package dev.gatehouse.rego.builtins.graphql;

import dev.gatehouse.rego.builtins.BuiltinContext;
import dev.gatehouse.rego.builtins.BuiltinException;
import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.builtins.Operands;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.util.List;

/**
 * OPA's graphql.* builtins: parse queries and schemas (text, or the AST objects these builtins
 * return) into gqlparser's AST shape and validate queries against schemas with gqlparser's rules.
 * graphql.parse_query, parse_schema and parse fail with OPA's messages; is_valid, schema_is_valid and
 * parse_and_verify answer false instead. Schemas are built once per query and reused.
 */
public final class GraphQlBuiltins {

    private GraphQlBuiltins() {
    }

    public static void register(BuiltinRegistry r) {
        r.register("graphql.parse_query", 1, (a, c) -> {
            String text = Operands.string(a, 0);
            c.charge(cost(text));
            return AstValues.query(parseQuery(text));
        });
        r.register("graphql.parse_schema", 1, (a, c) -> {
            String text = Operands.string(a, 0);
            c.charge(cost(text));
            return AstValues.schema(parseSchema(text));
        });
        r.register("graphql.parse", 2, (a, c) -> {
            Ast.QueryDocument query = queryOperand(a[0], c);
            ObjectValue queryAst = AstValues.query(query);
            Ast.SchemaDocument schemaDoc = schemaOperand(a[1], c);
            ObjectValue schemaAst = AstValues.schema(schemaDoc);
            Schema schema = schema(a[1], schemaDoc, c);
            List<QueryValidator.Problem> problems = QueryValidator.validate(schema, query);
            if (!problems.isEmpty()) {
                throw BuiltinException.error(QueryValidator.describe(problems));
            }
            return ArrayValue.of(queryAst, schemaAst);
        });
        r.register("graphql.parse_and_verify", 2, (a, c) -> {
            try {
                Ast.QueryDocument query = queryOperand(a[0], c);
                ObjectValue queryAst = AstValues.query(query);
                Ast.SchemaDocument schemaDoc = schemaOperand(a[1], c);
                ObjectValue schemaAst = AstValues.schema(schemaDoc);
                if (!QueryValidator.validate(schema(a[1], schemaDoc, c), query).isEmpty()) {
                    return unverified();
                }
                return ArrayValue.of(BooleanValue.TRUE, queryAst, schemaAst);
            } catch (BuiltinException e) {
                rethrowIfBudgetExhausted(c);
                return unverified();
            }
        });
        r.register("graphql.is_valid", 2, (a, c) -> {
            try {
                Ast.QueryDocument query = queryOperand(a[0], c);
                Schema schema = schema(a[1], schemaOperand(a[1], c), c);
                return BooleanValue.of(QueryValidator.validate(schema, query).isEmpty());
            } catch (BuiltinException e) {
                rethrowIfBudgetExhausted(c);
                return BooleanValue.FALSE;
            }
        });
        r.register("graphql.schema_is_valid", 1, (a, c) -> {
            try {
                schema(a[0], schemaOperand(a[0], c), c);
                return BooleanValue.TRUE;
            } catch (BuiltinException e) {
                rethrowIfBudgetExhausted(c);
                return BooleanValue.FALSE;
            }
        });
    }

    private static ArrayValue unverified() {
        return ArrayValue.of(BooleanValue.FALSE, ObjectValue.EMPTY, ObjectValue.EMPTY);
    }

    /** The answer-false builtins swallow document errors, never the query's exhausted budget. */
    private static void rethrowIfBudgetExhausted(BuiltinContext c) throws BuiltinException {
        c.charge(0);
    }

    private static long cost(String text) {
        return 1 + text.length() / 16;
    }

    private static Ast.QueryDocument parseQuery(String text) throws BuiltinException {
        try {
            return Parser.parseQuery(text);
        } catch (Parser.SyntaxError e) {
            throw located(e);
        }
    }

    private static Ast.SchemaDocument parseSchema(String text) throws BuiltinException {
        try {
            return Parser.parseSchema(text);
        } catch (Parser.SyntaxError e) {
            throw located(e);
        }
    }

    private static BuiltinException located(Parser.SyntaxError e) {
        return BuiltinException.error(e.getMessage() + " in GraphQL string at location " + e.line() + ":" + e.column());
    }

    private static Ast.QueryDocument queryOperand(Value v, BuiltinContext c) throws BuiltinException {
        if (v instanceof StringValue s) {
            c.charge(cost(s.value()));
            return parseQuery(s.value());
        }
        if (v instanceof ObjectValue o) {
            try {
                return AstObjects.queryDocument(o);
            } catch (AstObjects.DecodeError e) {
                throw BuiltinException.error(e.getMessage());
            }
        }
        throw operandType(0, v);
    }

    private static Ast.SchemaDocument schemaOperand(Value v, BuiltinContext c) throws BuiltinException {
        if (v instanceof StringValue s) {
            c.charge(cost(s.value()));
            return parseSchema(s.value());
        }
        if (v instanceof ObjectValue o) {
            try {
                return AstObjects.schemaDocument(o);
            } catch (AstObjects.DecodeError e) {
                throw BuiltinException.error(e.getMessage());
            }
        }
        throw operandType(1, v);
    }

    /** OPA numbers these operands from 0 (its NewOperandTypeErr is given the index). */
    private static BuiltinException operandType(int index, Value got) {
        return BuiltinException.typeError("operand " + index + " must be one of {string, object} but got "
                + got.typeName());
    }

    private record SchemaKey(Value source) {
    }

    /** The validated schema for this operand, built at most once per query. */
    private static Schema schema(Value operand, Ast.SchemaDocument doc, BuiltinContext c) throws BuiltinException {
        SchemaKey key = new SchemaKey(operand);
        Object cached = c.queryCache().get(key);
        if (cached instanceof Schema s) {
            return s;
        }
        if (cached instanceof String error) {
            throw BuiltinException.error(error);
        }
        try {
            Schema schema = SchemaBuilder.build(doc);
            c.queryCache().put(key, schema);
            return schema;
        } catch (SchemaBuilder.SchemaError e) {
            String error = "Error in gqlparser SchemaDocument to Schema conversion: " + e.located();
            c.queryCache().put(key, error);
            throw BuiltinException.error(error);
        }
    }
}
