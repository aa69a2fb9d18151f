package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.Value;

/**
 * A builtin refused its arguments. The evaluator prefixes the message with the builtin name and
 * the location, e.g. {@code test-0.rego:4: eval_type_error: count: operand 1 must be one of
 * {array, object, set, string} but got number}. Without strict builtin errors the call is just
 * undefined.
 */
public final class BuiltinException extends Exception {

    /** OPA's error codes for failing builtins. */
    public enum Code {
        TYPE("eval_type_error"),
        BUILTIN("eval_builtin_error");

        private final String opaName;

        Code(String opaName) {
            this.opaName = opaName;
        }

        public String opaName() {
            return opaName;
        }
    }

    private final Code code;

    public BuiltinException(Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }

    /** eval_builtin_error with the given message. */
    public static BuiltinException error(String message) {
        return new BuiltinException(Code.BUILTIN, message);
    }

    /** eval_type_error with the given message. */
    public static BuiltinException typeError(String message) {
        return new BuiltinException(Code.TYPE, message);
    }

    /**
     * OPA's operand type error: {@code operand 1 must be string but got number} or, with several
     * accepted types, {@code operand 2 must be one of {set, array} but got number}.
     *
     * @param position 1-based operand position
     */
    public static BuiltinException operandType(int position, Value got, String... expected) {
        String want = expected.length == 1 ? expected[0] : "one of {" + String.join(", ", expected) + "}";
        return typeError("operand " + position + " must be " + want + " but got " + got.typeName());
    }
}
