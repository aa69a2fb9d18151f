package dev.gatehouse.rego.builtins;

import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.NumberValue;
import dev.gatehouse.rego.value.ObjectValue;
import dev.gatehouse.rego.value.SetValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.util.ArrayList;
import java.util.List;

/** Typed access to builtin arguments; each accessor throws OPA's operand type error. Index is 0-based. */
public final class Operands {

    private Operands() {
    }

    public static String string(Value[] args, int i) throws BuiltinException {
        if (args[i] instanceof StringValue s) {
            return s.value();
        }
        throw BuiltinException.operandType(i + 1, args[i], "string");
    }

    public static NumberValue number(Value[] args, int i) throws BuiltinException {
        if (args[i] instanceof NumberValue n) {
            return n;
        }
        throw BuiltinException.operandType(i + 1, args[i], "number");
    }

    /** An integer that fits an int: {@code operand 3 must be integer number but got floating-point number}. */
    public static int integer(Value[] args, int i) throws BuiltinException {
        NumberValue n = number(args, i);
        if (!n.isInteger()) {
            throw BuiltinException.typeError("operand " + (i + 1) + " must be integer number but got floating-point number");
        }
        Integer v = n.intValueExact();
        if (v == null) {
            throw BuiltinException.error("operand " + (i + 1) + " out of range");
        }
        return v;
    }

    public static boolean bool(Value[] args, int i) throws BuiltinException {
        if (args[i] instanceof BooleanValue b) {
            return b.value();
        }
        throw BuiltinException.operandType(i + 1, args[i], "boolean");
    }

    public static ArrayValue array(Value[] args, int i) throws BuiltinException {
        if (args[i] instanceof ArrayValue a) {
            return a;
        }
        throw BuiltinException.operandType(i + 1, args[i], "array");
    }

    public static ObjectValue object(Value[] args, int i) throws BuiltinException {
        if (args[i] instanceof ObjectValue o) {
            return o;
        }
        throw BuiltinException.operandType(i + 1, args[i], "object");
    }

    public static SetValue set(Value[] args, int i) throws BuiltinException {
        if (args[i] instanceof SetValue s) {
            return s;
        }
        throw BuiltinException.operandType(i + 1, args[i], "set");
    }

    /** Elements of an array or set (sets in sorted order): {@code operand 2 must be one of {array, set} ...}. */
    public static List<Value> arrayOrSet(Value[] args, int i) throws BuiltinException {
        if (args[i] instanceof ArrayValue a) {
            return a.elements();
        }
        if (args[i] instanceof SetValue s) {
            return s.sorted();
        }
        throw BuiltinException.operandType(i + 1, args[i], "array", "set");
    }

    /** Strings of an array or set of strings. */
    public static List<String> strings(Value[] args, int i) throws BuiltinException {
        Value v = args[i];
        List<Value> elems;
        if (v instanceof ArrayValue a) {
            elems = a.elements();
        } else if (v instanceof SetValue s) {
            elems = s.sorted();
        } else {
            throw BuiltinException.operandType(i + 1, v, "set", "array");
        }
        List<String> out = new ArrayList<>(elems.size());
        for (Value e : elems) {
            if (!(e instanceof StringValue s)) {
                throw BuiltinException.typeError("operand " + (i + 1) + " must be " + v.typeName()
                        + " of strings but got " + v.typeName() + " containing " + e.typeName());
            }
            out.add(s.value());
        }
        return out;
    }
}
