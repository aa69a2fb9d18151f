package dev.gatehouse.cli.serve;

import dev.gatehouse.handlers.VerificationListener;
import java.util.List;

/**
 * A part of {@code gatehouse serve}: the routes it mounts (registry push, admission, scan) and the
 * after-verification listeners it contributes. Modules are listed in {@code ServeCommand.MODULES};
 * listeners are collected from every module first, so routes see all of them in
 * {@link ServeContext#listeners()}.
 */
public interface ServeModule {

    default List<VerificationListener> listeners(ServeContext context) throws Exception {
        return List.of();
    }

    default List<Route> routes(ServeContext context) throws Exception {
        return List.of();
    }
}
