package dev.gatehouse.rego.builtins.graphql;

import dev.gatehouse.rego.builtins.GoFormat;
import dev.gatehouse.rego.builtins.graphql.Ast.Position;
import dev.gatehouse.rego.builtins.graphql.Lexer.Kind;
import dev.gatehouse.rego.builtins.graphql.Lexer.Lexed;
import dev.gatehouse.rego.builtins.graphql.Lexer.Token;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent GraphQL parser following gqlparser's parser step for step, so that documents
 * parse to the same AST and malformed ones fail with the same first error at the same place.
 * gqlparser keeps parsing after an error and reports only the first; this parser stops there.
 * Nesting depth and token count are bounded because the text comes from policy input.
 */
final class Parser {

    static final int MAX_DEPTH = 128;
    static final int MAX_TOKENS = 200_000;

    /** The first syntax error in a document, at the token where it was found. */
    static final class SyntaxError extends Exception {
        private final int line;
        private final int column;

        SyntaxError(String message, int line, int column) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
        }

        int line() {
            return line;
        }

        int column() {
            return column;
        }
    }

    private static final Set<String> DIRECTIVE_LOCATIONS = Set.of("QUERY", "MUTATION", "SUBSCRIPTION", "FIELD",
            "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION", "SCHEMA", "SCALAR",
            "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE",
            "INPUT_OBJECT", "INPUT_FIELD_DEFINITION");

    private final Lexer lexer;
    private Lexed peeked;
    private Token prev;
    private int tokens;
    private int depth;

    private Parser(String source) {
        this.lexer = new Lexer(source);
    }

    static Ast.QueryDocument parseQuery(String source) throws SyntaxError {
        return new Parser(source).queryDocument();
    }

    static Ast.SchemaDocument parseSchema(String source) throws SyntaxError {
        return new Parser(source).schemaDocument();
    }

    // ---- token plumbing (gqlparser's peek/next/expect/skip/some/many)

    private Token peek() {
        if (peeked == null) {
            peeked = lexer.next();
        }
        return peeked.token();
    }

    private Token next() throws SyntaxError {
        Lexed t = peeked != null ? peeked : lexer.next();
        peeked = null;
        if (++tokens > MAX_TOKENS) {
            throw new SyntaxError("exceeded token limit of " + MAX_TOKENS, t.token().position().line(),
                    t.token().position().column());
        }
        prev = t.token();
        if (t.error() != null) {
            throw error(t.token(), t.error());
        }
        return prev;
    }

    private static SyntaxError error(Token at, String message) {
        return new SyntaxError(message, at.position().line(), at.position().column());
    }

    private SyntaxError unexpected(Token t) {
        return error(t, "Unexpected " + t.describe());
    }

    private Token expect(Kind kind) throws SyntaxError {
        Token t = peek();
        if (t.kind() == kind) {
            return next();
        }
        throw error(t, "Expected " + kind + ", found " + t.kind());
    }

    private void expectKeyword(String value) throws SyntaxError {
        Token t = peek();
        if (t.kind() == Kind.NAME && t.value().equals(value)) {
            next();
            return;
        }
        throw error(t, "Expected " + GoFormat.quote(value, false) + ", found " + t.describe());
    }

    private boolean skip(Kind kind) throws SyntaxError {
        if (peek().kind() != kind) {
            return false;
        }
        next();
        return true;
    }

    private interface Step {
        void run() throws SyntaxError;
    }

    private void many(Kind open, Kind close, Step step) throws SyntaxError {
        if (!skip(open)) {
            return;
        }
        while (peek().kind() != close) {
            step.run();
        }
        next();
    }

    private void some(Kind open, Kind close, Step step) throws SyntaxError {
        if (!skip(open)) {
            return;
        }
        boolean called = false;
        while (peek().kind() != close) {
            called = true;
            step.run();
        }
        if (!called) {
            throw error(peek(), "expected at least one definition, found " + peek().kind());
        }
        next();
    }

    private void enter() throws SyntaxError {
        if (++depth > MAX_DEPTH) {
            Token t = peek();
            throw error(t, "document nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void leave() {
        depth--;
    }

    private Position peekPos() {
        return peek().position();
    }

    private String name() throws SyntaxError {
        return expect(Kind.NAME).value();
    }

    // ---- executable documents

    private Ast.QueryDocument queryDocument() throws SyntaxError {
        Ast.QueryDocument doc = new Ast.QueryDocument();
        while (peek().kind() != Kind.EOF) {
            Token t = peek();
            if (t.kind() == Kind.NAME) {
                switch (t.value()) {
                    case "query", "mutation", "subscription" -> doc.operations.add(operationDefinition());
                    case "fragment" -> doc.fragments.add(fragmentDefinition());
                    default -> throw unexpected(t);
                }
            } else if (t.kind() == Kind.BRACE_L) {
                doc.operations.add(operationDefinition());
            } else {
                throw unexpected(t);
            }
        }
        return doc;
    }

    private Ast.OperationDefinition operationDefinition() throws SyntaxError {
        Ast.OperationDefinition od = new Ast.OperationDefinition();
        od.position = peekPos();
        if (peek().kind() == Kind.BRACE_L) {
            od.operation = "query";
            requiredSelectionSet(od.selectionSet);
            return od;
        }
        od.operation = operationType();
        if (peek().kind() == Kind.NAME) {
            od.name = next().value();
        }
        variableDefinitions(od.variableDefinitions);
        directives(od.directives, false);
        requiredSelectionSet(od.selectionSet);
        return od;
    }

    private String operationType() throws SyntaxError {
        Token t = next();
        return switch (t.value()) {
            case "query", "mutation", "subscription" -> t.value();
            default -> throw unexpected(t);
        };
    }

    private void variableDefinitions(List<Ast.VariableDefinition> into) throws SyntaxError {
        some(Kind.PAREN_L, Kind.PAREN_R, () -> into.add(variableDefinition()));
    }

    private Ast.VariableDefinition variableDefinition() throws SyntaxError {
        Ast.VariableDefinition def = new Ast.VariableDefinition();
        def.position = peekPos();
        def.variable = variable();
        expect(Kind.COLON);
        def.type = typeReference();
        if (skip(Kind.EQUALS)) {
            def.defaultValue = valueLiteral(true);
        }
        directives(def.directives, false);
        return def;
    }

    private String variable() throws SyntaxError {
        expect(Kind.DOLLAR);
        return name();
    }

    private void requiredSelectionSet(List<Ast.Selection> into) throws SyntaxError {
        if (peek().kind() != Kind.BRACE_L) {
            throw error(peek(), "Expected " + Kind.BRACE_L + ", found " + peek().kind());
        }
        enter();
        some(Kind.BRACE_L, Kind.BRACE_R, () -> into.add(selection()));
        leave();
    }

    private Ast.Selection selection() throws SyntaxError {
        return peek().kind() == Kind.SPREAD ? fragment() : field();
    }

    private Ast.Field field() throws SyntaxError {
        Ast.Field field = new Ast.Field();
        field.position = peekPos();
        field.alias = name();
        field.name = skip(Kind.COLON) ? name() : field.alias;
        arguments(field.arguments, false);
        directives(field.directives, false);
        if (peek().kind() == Kind.BRACE_L) {
            enter();
            some(Kind.BRACE_L, Kind.BRACE_R, () -> field.selectionSet.add(selection()));
            leave();
        }
        return field;
    }

    private void arguments(List<Ast.Argument> into, boolean isConst) throws SyntaxError {
        some(Kind.PAREN_L, Kind.PAREN_R, () -> {
            Ast.Argument arg = new Ast.Argument();
            arg.position = peekPos();
            arg.name = name();
            expect(Kind.COLON);
            arg.value = valueLiteral(isConst);
            into.add(arg);
        });
    }

    private Ast.Selection fragment() throws SyntaxError {
        expect(Kind.SPREAD);
        Token t = peek();
        if (t.kind() == Kind.NAME && !t.value().equals("on")) {
            Ast.FragmentSpread spread = new Ast.FragmentSpread();
            spread.position = peekPos();
            spread.name = fragmentName();
            directives(spread.directives, false);
            return spread;
        }
        Ast.InlineFragment def = new Ast.InlineFragment();
        def.position = peekPos();
        if (peek().value().equals("on")) {
            next();
            def.typeCondition = name();
        }
        directives(def.directives, false);
        requiredSelectionSet(def.selectionSet);
        return def;
    }

    private Ast.FragmentDefinition fragmentDefinition() throws SyntaxError {
        Ast.FragmentDefinition def = new Ast.FragmentDefinition();
        def.position = peekPos();
        expectKeyword("fragment");
        def.name = fragmentName();
        variableDefinitions(def.variableDefinition);
        expectKeyword("on");
        def.typeCondition = name();
        directives(def.directives, false);
        requiredSelectionSet(def.selectionSet);
        return def;
    }

    private String fragmentName() throws SyntaxError {
        if (peek().value().equals("on")) {
            throw unexpected(peek());
        }
        return name();
    }

    private Ast.Value valueLiteral(boolean isConst) throws SyntaxError {
        Token t = peek();
        Ast.ValueKind kind;
        switch (t.kind()) {
            case BRACKET_L:
                return list(isConst);
            case BRACE_L:
                return object(isConst);
            case DOLLAR:
                if (isConst) {
                    throw unexpected(t);
                }
                Ast.Value variable = new Ast.Value();
                variable.position = t.position();
                variable.raw = variable();
                variable.kind = Ast.ValueKind.VARIABLE;
                return variable;
            case INT:
                kind = Ast.ValueKind.INT;
                break;
            case FLOAT:
                kind = Ast.ValueKind.FLOAT;
                break;
            case STRING:
                kind = Ast.ValueKind.STRING;
                break;
            case BLOCK_STRING:
                kind = Ast.ValueKind.BLOCK;
                break;
            case NAME:
                kind = switch (t.value()) {
                    case "true", "false" -> Ast.ValueKind.BOOLEAN;
                    case "null" -> Ast.ValueKind.NULL;
                    default -> Ast.ValueKind.ENUM;
                };
                break;
            default:
                throw unexpected(t);
        }
        next();
        Ast.Value v = new Ast.Value();
        v.position = t.position();
        v.raw = t.value();
        v.kind = kind;
        return v;
    }

    private Ast.Value list(boolean isConst) throws SyntaxError {
        Ast.Value v = new Ast.Value();
        v.kind = Ast.ValueKind.LIST;
        v.position = peekPos();
        enter();
        many(Kind.BRACKET_L, Kind.BRACKET_R, () -> {
            Ast.ChildValue child = new Ast.ChildValue();
            child.value = valueLiteral(isConst);
            v.children.add(child);
        });
        leave();
        return v;
    }

    private Ast.Value object(boolean isConst) throws SyntaxError {
        Ast.Value v = new Ast.Value();
        v.kind = Ast.ValueKind.OBJECT;
        v.position = peekPos();
        enter();
        many(Kind.BRACE_L, Kind.BRACE_R, () -> {
            Ast.ChildValue child = new Ast.ChildValue();
            child.position = peekPos();
            child.name = name();
            expect(Kind.COLON);
            child.value = valueLiteral(isConst);
            v.children.add(child);
        });
        leave();
        return v;
    }

    private void directives(List<Ast.Directive> into, boolean isConst) throws SyntaxError {
        while (peek().kind() == Kind.AT) {
            expect(Kind.AT);
            Ast.Directive d = new Ast.Directive();
            d.position = peekPos();
            d.name = name();
            arguments(d.arguments, isConst);
            into.add(d);
        }
    }

    private Ast.Type typeReference() throws SyntaxError {
        Ast.Type type = new Ast.Type();
        if (skip(Kind.BRACKET_L)) {
            type.position = peekPos();
            enter();
            type.elem = typeReference();
            leave();
            expect(Kind.BRACKET_R);
        } else {
            type.position = peekPos();
            type.namedType = name();
        }
        if (skip(Kind.BANG)) {
            type.nonNull = true;
        }
        return type;
    }

    // ---- schema documents

    private Ast.SchemaDocument schemaDocument() throws SyntaxError {
        Ast.SchemaDocument doc = new Ast.SchemaDocument();
        while (peek().kind() != Kind.EOF) {
            String description = "";
            if (peek().kind() == Kind.BLOCK_STRING || peek().kind() == Kind.STRING) {
                description = next().value();
            }
            Token t = peek();
            if (t.kind() != Kind.NAME) {
                throw unexpected(t);
            }
            switch (t.value()) {
                case "scalar", "type", "interface", "union", "enum", "input" ->
                        doc.definitions.add(typeSystemDefinition(description));
                case "schema" -> doc.schema.add(schemaDefinition(description));
                case "directive" -> doc.directives.add(directiveDefinition(description));
                case "extend" -> {
                    if (!description.isEmpty()) {
                        throw unexpected(prev);
                    }
                    typeSystemExtension(doc);
                }
                default -> throw unexpected(t);
            }
        }
        return doc;
    }

    private String description() throws SyntaxError {
        Kind k = peek().kind();
        return k == Kind.BLOCK_STRING || k == Kind.STRING ? next().value() : "";
    }

    private Ast.Definition typeSystemDefinition(String description) throws SyntaxError {
        String keyword = peek().value();
        expectKeyword(keyword);
        Ast.Definition def = new Ast.Definition();
        def.position = peekPos();
        def.description = description;
        def.name = name();
        switch (keyword) {
            case "scalar" -> {
                def.kind = Ast.SCALAR;
                directives(def.directives, true);
            }
            case "type", "interface" -> {
                def.kind = keyword.equals("type") ? Ast.OBJECT : Ast.INTERFACE;
                implementsInterfaces(def.interfaces);
                directives(def.directives, true);
                fieldsDefinition(def.fields);
            }
            case "union" -> {
                def.kind = Ast.UNION;
                directives(def.directives, true);
                unionMemberTypes(def.types);
            }
            case "enum" -> {
                def.kind = Ast.ENUM;
                directives(def.directives, true);
                enumValuesDefinition(def.enumValues);
            }
            default -> {
                def.kind = Ast.INPUT_OBJECT;
                directives(def.directives, true);
                inputFieldsDefinition(def.fields);
            }
        }
        return def;
    }

    private Ast.SchemaDefinition schemaDefinition(String description) throws SyntaxError {
        expectKeyword("schema");
        Ast.SchemaDefinition def = new Ast.SchemaDefinition();
        def.position = peekPos();
        def.description = description;
        directives(def.directives, true);
        some(Kind.BRACE_L, Kind.BRACE_R, () -> def.operationTypes.add(operationTypeDefinition()));
        return def;
    }

    private Ast.OperationTypeDefinition operationTypeDefinition() throws SyntaxError {
        Ast.OperationTypeDefinition op = new Ast.OperationTypeDefinition();
        op.position = peekPos();
        op.operation = operationType();
        expect(Kind.COLON);
        op.type = name();
        return op;
    }

    private void implementsInterfaces(List<String> into) throws SyntaxError {
        if (peek().value().equals("implements")) {
            next();
            skip(Kind.AMP);
            into.add(name());
            while (skip(Kind.AMP)) {
                into.add(name());
            }
        }
    }

    private void fieldsDefinition(List<Ast.FieldDefinition> into) throws SyntaxError {
        some(Kind.BRACE_L, Kind.BRACE_R, () -> {
            Ast.FieldDefinition def = new Ast.FieldDefinition();
            def.description = description();
            def.position = peekPos();
            def.name = name();
            argumentDefs(def.arguments);
            expect(Kind.COLON);
            def.type = typeReference();
            directives(def.directives, true);
            into.add(def);
        });
    }

    private void argumentDefs(List<Ast.ArgumentDefinition> into) throws SyntaxError {
        some(Kind.PAREN_L, Kind.PAREN_R, () -> into.add(inputValueDefinition()));
    }

    private void inputFieldsDefinition(List<Ast.FieldDefinition> into) throws SyntaxError {
        some(Kind.BRACE_L, Kind.BRACE_R, () -> into.add(Ast.FieldDefinition.inputField(inputValueDefinition())));
    }

    /** An argument or input field: description, name, type, default value, directives. */
    private Ast.ArgumentDefinition inputValueDefinition() throws SyntaxError {
        Ast.ArgumentDefinition def = new Ast.ArgumentDefinition();
        def.description = description();
        def.position = peekPos();
        def.name = name();
        expect(Kind.COLON);
        def.type = typeReference();
        if (skip(Kind.EQUALS)) {
            def.defaultValue = valueLiteral(true);
        }
        directives(def.directives, true);
        return def;
    }

    private void unionMemberTypes(List<String> into) throws SyntaxError {
        if (skip(Kind.EQUALS)) {
            skip(Kind.PIPE);
            into.add(name());
            while (skip(Kind.PIPE)) {
                into.add(name());
            }
        }
    }

    private void enumValuesDefinition(List<Ast.EnumValueDefinition> into) throws SyntaxError {
        some(Kind.BRACE_L, Kind.BRACE_R, () -> {
            Ast.EnumValueDefinition def = new Ast.EnumValueDefinition();
            def.description = description();
            def.position = peekPos();
            def.name = name();
            directives(def.directives, true);
            into.add(def);
        });
    }

    private void typeSystemExtension(Ast.SchemaDocument doc) throws SyntaxError {
        expectKeyword("extend");
        String keyword = peek().value();
        switch (keyword) {
            case "schema" -> doc.schemaExtension.add(schemaExtension());
            case "scalar", "type", "interface", "union", "enum", "input" -> doc.extensions.add(typeExtension(keyword));
            default -> throw unexpected(peek());
        }
    }

    private Ast.SchemaDefinition schemaExtension() throws SyntaxError {
        expectKeyword("schema");
        Ast.SchemaDefinition def = new Ast.SchemaDefinition();
        def.position = peekPos();
        directives(def.directives, true);
        some(Kind.BRACE_L, Kind.BRACE_R, () -> def.operationTypes.add(operationTypeDefinition()));
        if (def.directives.isEmpty() && def.operationTypes.isEmpty()) {
            throw unexpected(peek());
        }
        return def;
    }

    private Ast.Definition typeExtension(String keyword) throws SyntaxError {
        expectKeyword(keyword);
        Ast.Definition def = new Ast.Definition();
        def.position = peekPos();
        def.name = name();
        boolean empty;
        switch (keyword) {
            case "scalar" -> {
                def.kind = Ast.SCALAR;
                directives(def.directives, true);
                empty = def.directives.isEmpty();
            }
            case "type" -> {
                def.kind = Ast.OBJECT;
                implementsInterfaces(def.interfaces);
                directives(def.directives, true);
                fieldsDefinition(def.fields);
                empty = def.interfaces.isEmpty() && def.directives.isEmpty() && def.fields.isEmpty();
            }
            case "interface" -> {
                def.kind = Ast.INTERFACE;
                directives(def.directives, true);
                fieldsDefinition(def.fields);
                empty = def.directives.isEmpty() && def.fields.isEmpty();
            }
            case "union" -> {
                def.kind = Ast.UNION;
                directives(def.directives, true);
                unionMemberTypes(def.types);
                empty = def.directives.isEmpty() && def.types.isEmpty();
            }
            case "enum" -> {
                def.kind = Ast.ENUM;
                directives(def.directives, true);
                enumValuesDefinition(def.enumValues);
                empty = def.directives.isEmpty() && def.enumValues.isEmpty();
            }
            default -> {
                def.kind = Ast.INPUT_OBJECT;
                directives(def.directives, false);
                inputFieldsDefinition(def.fields);
                empty = def.directives.isEmpty() && def.fields.isEmpty();
            }
        }
        if (empty) {
            throw unexpected(peek());
        }
        return def;
    }

    private Ast.DirectiveDefinition directiveDefinition(String description) throws SyntaxError {
        expectKeyword("directive");
        expect(Kind.AT);
        Ast.DirectiveDefinition def = new Ast.DirectiveDefinition();
        def.position = peekPos();
        def.description = description;
        def.name = name();
        argumentDefs(def.arguments);
        Token t = peek();
        if (t.kind() == Kind.NAME && t.value().equals("repeatable")) {
            def.isRepeatable = true;
            next();
        }
        expectKeyword("on");
        skip(Kind.PIPE);
        def.locations.add(directiveLocation());
        while (skip(Kind.PIPE)) {
            def.locations.add(directiveLocation());
        }
        return def;
    }

    private String directiveLocation() throws SyntaxError {
        Token t = expect(Kind.NAME);
        if (DIRECTIVE_LOCATIONS.contains(t.value())) {
            return t.value();
        }
        throw unexpected(t);
    }
}
