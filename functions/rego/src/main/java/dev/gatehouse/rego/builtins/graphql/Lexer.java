package dev.gatehouse.rego.builtins.graphql;

import dev.gatehouse.rego.builtins.GoFormat;

/**
 * GraphQL tokens, as gqlparser's lexer reads them: the same token kinds, the same rune-based
 * line:column positions and the same error texts, because OPA's graphql builtins report them.
 * Comments are skipped (OPA's gqlparser copy has no comment nodes in its AST).
 */
final class Lexer {

    enum Kind {
        INVALID("<Invalid>"), EOF("<EOF>"), BANG("!"), DOLLAR("$"), AMP("&"), PAREN_L("("), PAREN_R(")"),
        SPREAD("..."), COLON(":"), EQUALS("="), AT("@"), BRACKET_L("["), BRACKET_R("]"), BRACE_L("{"),
        BRACE_R("}"), PIPE("|"), NAME("Name"), INT("Int"), FLOAT("Float"), STRING("String"),
        BLOCK_STRING("BlockString");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    record Token(Kind kind, String value, Ast.Position position) {

        /** gqlparser's Token.String(): the kind, then the quoted value when there is one. */
        String describe() {
            return value.isEmpty() ? kind.toString() : kind + " " + GoFormat.quote(value, false);
        }
    }

    /** A lexical error; the parser reports it only when it consumes the token (as gqlparser does). */
    record Lexed(Token token, String error) {
    }

    private final int[] input;
    private int start;
    private int end;
    private int line = 1;
    private int lineStart;

    Lexer(String source) {
        this.input = source.codePoints().toArray();
    }

    Lexed next() {
        skipWhitespace();
        start = end;
        if (end >= input.length) {
            return token(Kind.EOF, "");
        }
        int r = input[start];
        end++;
        switch (r) {
            case '!': return token(Kind.BANG, "");
            case '$': return token(Kind.DOLLAR, "");
            case '&': return token(Kind.AMP, "");
            case '(': return token(Kind.PAREN_L, "");
            case ')': return token(Kind.PAREN_R, "");
            case '.':
                if (input.length > start + 2 && input[start + 1] == '.' && input[start + 2] == '.') {
                    end += 2;
                    return token(Kind.SPREAD, "");
                }
                break;
            case ':': return token(Kind.COLON, "");
            case '=': return token(Kind.EQUALS, "");
            case '@': return token(Kind.AT, "");
            case '[': return token(Kind.BRACKET_L, "");
            case ']': return token(Kind.BRACKET_R, "");
            case '{': return token(Kind.BRACE_L, "");
            case '}': return token(Kind.BRACE_R, "");
            case '|': return token(Kind.PIPE, "");
            case '#':
                skipComment();
                return next();
            case '"':
                if (input.length > start + 2 && input[start + 1] == '"' && input[start + 2] == '"') {
                    return readBlockString();
                }
                return readString();
            default:
                if (isNameStart(r)) {
                    return readName();
                }
                if (r == '-' || (r >= '0' && r <= '9')) {
                    return readNumber();
                }
        }
        end--;
        if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
            return error(String.format("Cannot contain the invalid character \"\\u%04x\"", r));
        }
        if (r == '\'') {
            return error("Unexpected single quote character ('), did you mean to use a double quote (\")?");
        }
        return error("Cannot parse the unexpected character \"" + firstByteAsRune(r) + "\".");
    }

    private Lexed token(Kind kind, String value) {
        return new Lexed(new Token(kind, value, new Ast.Position(line, start - lineStart + 1)), null);
    }

    private Lexed error(String message) {
        return new Lexed(new Token(Kind.INVALID, "", new Ast.Position(line, end - lineStart + 1)), message);
    }

    private void skipWhitespace() {
        while (end < input.length) {
            int c = input[end];
            if (c == '\t' || c == ' ' || c == ',' || c == 0xFEFF) {
                end++;
            } else if (c == '\n') {
                end++;
                newLine();
            } else if (c == '\r') {
                end++;
                newLine();
                if (end < input.length && input[end] == '\n') {
                    end++;
                }
            } else {
                return;
            }
        }
    }

    private void newLine() {
        line++;
        lineStart = end;
    }

    private void skipComment() {
        while (end < input.length && (input[end] > 0x1f || input[end] == '\t')) {
            end++;
        }
    }

    private Lexed readNumber() {
        boolean isFloat = false;
        end--;
        accept('-');
        if (accept('0')) {
            int consumed = acceptDigits();
            if (consumed != 0) {
                end -= consumed;
                return error("Invalid number, unexpected digit after 0: " + describeNext() + ".");
            }
        } else if (acceptDigits() == 0) {
            return error("Invalid number, expected digit but got: " + describeNext() + ".");
        }
        if (accept('.')) {
            isFloat = true;
            if (acceptDigits() == 0) {
                return error("Invalid number, expected digit but got: " + describeNext() + ".");
            }
        }
        if (accept('e') || accept('E')) {
            isFloat = true;
            if (!accept('-')) {
                accept('+');
            }
            if (acceptDigits() == 0) {
                return error("Invalid number, expected digit but got: " + describeNext() + ".");
            }
        }
        return token(isFloat ? Kind.FLOAT : Kind.INT, text(start, end));
    }

    private boolean accept(int c) {
        if (end < input.length && input[end] == c) {
            end++;
            return true;
        }
        return false;
    }

    private int acceptDigits() {
        int consumed = 0;
        while (end < input.length && input[end] >= '0' && input[end] <= '9') {
            end++;
            consumed++;
        }
        return consumed;
    }

    private String describeNext() {
        return end < input.length ? "\"" + oneLine(firstByteAsRune(input[end])) + "\"" : "<EOF>";
    }

    private Lexed readString() {
        StringBuilder buf = null;
        start++;
        while (end < input.length) {
            int r = input[end];
            if (r == '\n' || r == '\r') {
                break;
            }
            if (r < 0x20 && r != '\t') {
                return error(String.format("Invalid character within String: \"\\u%04x\".", r));
            }
            if (r == '"') {
                Lexed t = token(Kind.STRING, buf != null ? buf.toString() : text(start, end));
                end++;
                return t;
            }
            if (r != '\\') {
                end++;
                if (buf != null) {
                    buf.appendCodePoint(r);
                }
                continue;
            }
            if (end + 1 >= input.length) {
                end++;
                return error("Invalid character escape sequence.");
            }
            if (buf == null) {
                buf = new StringBuilder(text(start, end));
            }
            int escape = input[end + 1];
            if (escape == 'u') {
                if (end + 6 >= input.length) {
                    end++;
                    return error("Invalid character escape sequence: \\" + oneLine(text(end, input.length)) + ".");
                }
                int decoded = unhex(end + 2);
                if (decoded < 0) {
                    end++;
                    return error("Invalid character escape sequence: \\" + oneLine(text(end, end + 5)) + ".");
                }
                buf.appendCodePoint(Character.isSurrogate((char) decoded) ? 0xFFFD : decoded);
                end += 6;
                continue;
            }
            switch (escape) {
                case '"', '/', '\\' -> buf.append((char) escape);
                case 'b' -> buf.append('\b');
                case 'f' -> buf.append('\f');
                case 'n' -> buf.append('\n');
                case 'r' -> buf.append('\r');
                case 't' -> buf.append('\t');
                default -> {
                    end++;
                    return error("Invalid character escape sequence: \\" + firstByteAsRune(escape) + ".");
                }
            }
            end += 2;
        }
        return error("Unterminated string.");
    }

    private int unhex(int from) {
        int v = 0;
        for (int i = from; i < from + 4; i++) {
            int d = Character.digit(input[i], 16);
            if (d < 0 || input[i] > 'f') {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private Lexed readBlockString() {
        StringBuilder buf = new StringBuilder();
        start += 3;
        end += 2;
        while (end < input.length) {
            int r = input[end];
            if (r == '"') {
                int quotes = 1;
                while (end + quotes < input.length && input[end + quotes] == '"') {
                    quotes++;
                }
                if (quotes >= 3) {
                    buf.append("\"".repeat(quotes - 3));
                    Lexed t = token(Kind.BLOCK_STRING, BlockStrings.value(buf.toString()));
                    end += quotes;
                    return t;
                }
            }
            if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
                return error(String.format("Invalid character within String: \"\\u%04x\".", r));
            }
            if (r == '\\' && end + 4 <= input.length && input[end + 1] == '"' && input[end + 2] == '"'
                    && input[end + 3] == '"') {
                buf.append("\"\"\"");
                end += 4;
            } else if (r == '\r') {
                if (end + 1 < input.length && input[end + 1] == '\n') {
                    end++;
                }
                buf.append('\n');
                end++;
                newLine();
            } else {
                end++;
                buf.appendCodePoint(r);
                if (r == '\n') {
                    newLine();
                }
            }
        }
        return error("Unterminated string.");
    }

    private Lexed readName() {
        while (end < input.length && isNameContinue(input[end])) {
            end++;
        }
        return token(Kind.NAME, text(start, end));
    }

    private static boolean isNameStart(int r) {
        return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
    }

    private static boolean isNameContinue(int r) {
        return isNameStart(r) || (r >= '0' && r <= '9');
    }

    private String text(int from, int to) {
        return new String(input, from, to - from);
    }

    /** Line breaks in quoted input are shown escaped, so that every error stays on one line. */
    private static String oneLine(String quoted) {
        return quoted.replace("\n", "\\n").replace("\r", "\\r");
    }

    /** gqlparser quotes the byte it stopped at; for a multi-byte character that is its first UTF-8 byte. */
    private static String firstByteAsRune(int codePoint) {
        if (codePoint < 0x80) {
            return Character.toString(codePoint);
        }
        byte first = Character.toString(codePoint).getBytes(java.nio.charset.StandardCharsets.UTF_8)[0];
        return Character.toString(first & 0xff);
    }
}
