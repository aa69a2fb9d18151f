package dev.gatehouse.ports;

/**
 * A store (cache, result table, blob store, queue, event bus) could not do what was asked: it was
 * unreachable, refused the request or returned something unusable. The message names the
 * operation ({@code ResultStore.put}, {@code BlobStore.get}...) and the key, never a credential.
 */
public class StoreException extends RuntimeException {

    private final String operation;

    public StoreException(String operation, String problem, Throwable cause) {
        super(operation + ": " + problem, cause);
        this.operation = operation;
    }

    public StoreException(String operation, String problem) {
        this(operation, problem, null);
    }

    /** The port operation that failed, such as {@code VerdictCache.get}. */
    public String operation() {
        return operation;
    }
}
