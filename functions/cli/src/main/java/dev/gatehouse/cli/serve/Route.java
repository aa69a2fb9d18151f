package dev.gatehouse.cli.serve;

import dev.gatehouse.handlers.SharedSecret;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One endpoint of {@code gatehouse serve}: an exact method and path, the largest request body it
 * accepts (larger ones are refused with 413 before the handler runs), the handler, and the shared
 * secret callers must present, or null for an open route. A guarded route takes the secret as
 * {@code Authorization: Bearer <secret>} or as one more path segment ({@code <path>/<secret>}, for
 * webhook callers that can send no credentials); without it the request is answered 401 before
 * its body is read.
 */
public record Route(String method, String path, int maxBodyBytes, Handler handler, SharedSecret secret) {

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
        return new Route("POST", path, maxBodyBytes, handler, null);
    }

    public static Route get(String path, Handler handler) {
        return new Route("GET", path, 0, handler, null);
    }

    /** This route guarded by {@code secret} (null leaves it open). */
    public Route authenticatedBy(SharedSecret secret) {
        return new Route(method, path, maxBodyBytes, handler, secret);
    }
}
