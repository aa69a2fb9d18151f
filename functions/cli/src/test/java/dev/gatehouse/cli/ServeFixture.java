package dev.gatehouse.cli;

import dev.gatehouse.cli.serve.ServeContext;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/**
 * {@code gatehouse serve} started in process on a free loopback port with the given flags, its
 * stdout (JSON log and EMF lines) captured; for route tests of every module.
 */
public final class ServeFixture implements AutoCloseable {

    private final ServeCommand.Running running;
    private final ByteArrayOutputStream out;

    private ServeFixture(ServeCommand.Running running, ByteArrayOutputStream out) {
        this.running = running;
        this.out = out;
    }

    public static ServeFixture start(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return new ServeFixture(running(new PrintStream(out, true, StandardCharsets.UTF_8), args), out);
    }

    /** Like {@link #start}, but the output is dropped rather than kept: for long runs whose heap is measured. */
    public static ServeFixture startDiscardingOutput(String... args) throws Exception {
        return new ServeFixture(running(new PrintStream(OutputStream.nullOutputStream()), args), new ByteArrayOutputStream());
    }

    private static ServeCommand.Running running(PrintStream out, String... args) throws Exception {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        if (!all.contains("--port")) {
            all.addAll(List.of("--port", "0"));
        }
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs(all.toArray(String[]::new));
        return command.start(out);
    }

    public URI uri() {
        return running.host().uri();
    }

    public ServeContext context() {
        return running.context();
    }

    /** Every line written so far. */
    public List<String> lines() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** Waits up to 10 s for a line {@code wanted} accepts (the server logs a request after answering it). */
    public String awaitLine(java.util.function.Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : lines()) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such line in: " + String.join("\n", lines()));
    }

    @Override
    public void close() {
        running.close();
    }
}
