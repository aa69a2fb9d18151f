package dev.gatehouse.cli.serve;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One endpoint of {@code gatehouse serve}: an exact method and path, the largest request body it
 * accepts (larger ones are refused with 413 before the handler runs) and the handler.
 */
public record Route(String method, String path, int maxBodyBytes, Handler handler) {

    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");

    /** Answers one request; exceptions become error responses (see {@link HttpHost}). */
    @FunctionalInterface
    public interface Handler {
        ServeResponse handle(ServeRequest request) throws Exception;
    }

    public Route {
        if (!method.equals("GET") && !method.equals("POST")) {
            throw new IllegalArgumentException("route method must be GET or POST, not " + method);
        }
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("invalid route path '" + path + "'");
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("negative body limit");
        }
        Objects.requireNonNull(handler, "handler");
    }

    public static Route post(String path, int maxBodyBytes, Handler handler) {
        return new Route("POST", path, maxBodyBytes, handler);
    }

    public static Route get(String path, Handler handler) {
        return new Route("GET", path, 0, handler);
    }
}
