package dev.gatehouse.rego.builtins;

import java.util.Map;

/** What a builtin may ask of the running query. */
public interface BuiltinContext {

    /** Wall-clock time of the query in nanoseconds since the epoch; constant during one query. */
    long nowNanos();

    /** Sink of {@code print} output. */
    void print(String line);

    /**
     * Charges {@code steps} units of work to the query's budget; call it in loops over large
     * inputs. Throws when the budget is exhausted.
     */
    void charge(long steps) throws BuiltinException;

    /** Per-query scratch space for builtins that must answer consistently within one query. */
    Map<Object, Object> queryCache();
}
