package dev.gatehouse.lambda.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/**
 * A {@code @TestProfile} for one exported function: the mock event server on a free port (chosen
 * here, since the server starts before test resources run and the ephemeral-port option does not
 * work in this Quarkus version) and the {@link LocalAwsStack}.
 */
public abstract class FunctionProfile implements QuarkusTestProfile {

    /**
     * Where tests POST events; one port per test JVM, kept in a system property because the profile
     * and the test class are loaded by different class loaders.
     */
    public static final int EVENT_SERVER_PORT = Integer.parseInt(portProperty());

    private static synchronized String portProperty() {
        String port = System.getProperty("gatehouse.test.event-server-port");
        if (port == null) {
            port = Integer.toString(freePort());
            System.setProperty("gatehouse.test.event-server-port", port);
        }
        return port;
    }

    /** The {@code @Funq} name under test. */
    protected abstract String export();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.lambda.mock-event-server.test-port", Integer.toString(EVENT_SERVER_PORT),
                "quarkus.funqy.export", export());
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(LocalAwsStack.class, Map.of("export", export())));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
