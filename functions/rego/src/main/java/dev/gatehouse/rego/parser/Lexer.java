package dev.gatehouse.rego.parser;

import java.util.ArrayList;
import java.util.List;

/** Splits Rego source into tokens; comments are kept aside for METADATA blocks. */
final class Lexer {

    /** A {@code #} comment: its text without the hash, and where it starts. */
    record Comment(String text, int line, int column) {
    }

    private static final String[] OPS = {":=", "==", "!=", "<=", ">=", "(", ")", "[", "]", "{", "}", ".", ",", ";",
        ":", "=", "<", ">", "+", "-", "*", "/", "%", "&", "|"};

    private final String src;
    private final String file;
    private int pos;
    private int line = 1;
    private int lineStart;
    final List<Token> tokens = new ArrayList<>();
    final List<Comment> comments = new ArrayList<>();

    Lexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    List<Token> run() throws RegoParseException {
        boolean newline = true;
        boolean spaced = true;
        while (true) {
            while (pos < src.length()) {
                char c = src.charAt(pos);
                if (c == '\n') {
                    newline = true;
                    spaced = true;
                    pos++;
                    line++;
                    lineStart = pos;
                } else if (c == ' ' || c == '\t' || c == '\r') {
                    spaced = true;
                    pos++;
                } else if (c == '#') {
                    int start = pos;
                    while (pos < src.length() && src.charAt(pos) != '\n') {
                        pos++;
                    }
                    comments.add(new Comment(src.substring(start + 1, pos), line, start - lineStart + 1));
                    spaced = true;
                } else {
                    break;
                }
            }
            int col = pos - lineStart + 1;
            if (pos >= src.length()) {
                tokens.add(new Token(Token.Kind.EOF, "", line, col, pos, true, true));
                return tokens;
            }
            char c = src.charAt(pos);
            int start = pos;
            if (Character.isLetter(c) || c == '_') {
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                tokens.add(new Token(Token.Kind.IDENT, src.substring(start, pos), line, col, start, newline, spaced));
            } else if (Character.isDigit(c)) {
                lexNumber();
                tokens.add(new Token(Token.Kind.NUMBER, src.substring(start, pos), line, col, start, newline, spaced));
            } else if (c == '"') {
                tokens.add(new Token(Token.Kind.STRING, lexString(col), line, col, start, newline, spaced));
            } else if (c == '`') {
                int end = src.indexOf('`', pos + 1);
                if (end < 0) {
                    throw error(line, col, "non-terminated raw string");
                }
                String raw = src.substring(pos + 1, end);
                for (int i = 0; i < raw.length(); i++) {
                    if (raw.charAt(i) == '\n') {
                        line++;
                        lineStart = pos + 1 + i + 1;
                    }
                }
                pos = end + 1;
                tokens.add(new Token(Token.Kind.RAW_STRING, raw, line, col, start, newline, spaced));
            } else {
                String op = null;
                for (String o : OPS) {
                    if (src.startsWith(o, pos)) {
                        op = o;
                        break;
                    }
                }
                if (op == null) {
                    throw error(line, col, "illegal token");
                }
                pos += op.length();
                tokens.add(new Token(Token.Kind.OP, op, line, col, start, newline, spaced));
            }
            newline = false;
            spaced = false;
        }
    }

    private void lexNumber() {
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
    }

    private String lexString(int col) throws RegoParseException {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw error(line, col, "non-terminated string");
            }
            char c = src.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= src.length()) {
                throw error(line, col, "non-terminated string");
            }
            char e = src.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > src.length()) {
                        throw error(line, col, "illegal escape sequence");
                    }
                    try {
                        sb.append((char) Integer.parseInt(src.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error(line, col, "illegal escape sequence");
                    }
                    pos += 4;
                }
                default -> throw error(line, col, "illegal escape sequence");
            }
        }
    }

    private RegoParseException error(int l, int c, String msg) {
        return new RegoParseException(file, l, c, msg);
    }
}
