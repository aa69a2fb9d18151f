package dev.gatehouse.rego.eval;

/**
 * Limits and switches of one evaluation.
 *
 * @param maxSteps            bound on evaluation steps (expressions, iterations, builtin calls)
 * @param timeoutMillis       wall-clock bound, 0 for none
 * @param maxDepth            bound on nested rule, function and comprehension evaluation
 * @param strictBuiltinErrors builtin errors abort the query instead of making the call undefined
 */
public record EvalOptions(long maxSteps, long timeoutMillis, int maxDepth, boolean strictBuiltinErrors) {

    public static final EvalOptions DEFAULT = new EvalOptions(50_000_000L, 10_000L, 150, false);

    public EvalOptions strict(boolean strict) {
        return new EvalOptions(maxSteps, timeoutMillis, maxDepth, strict);
    }
}
