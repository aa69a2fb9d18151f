package dev.gatehouse.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.io.UntrustedJson;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Metrics as CloudWatch Embedded Metric Format lines: one JSON object per emission, written to a
 * log stream, which CloudWatch turns into metrics without an API call (Lambda's stdout is such a
 * stream; {@code gatehouse serve} writes the same lines). Each line names its namespace, one
 * dimension set and the metric values.
 */
public final class Metrics {

    /** CloudWatch's limit on dimensions per set. */
    public static final int MAX_DIMENSIONS = 30;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");

    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds"), BYTES("Bytes");

        private final String cloudWatchName;

        Unit(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }
    }

    /** One metric value. */
    public record Value(String name, double value, Unit unit) {
        public Value {
            checkName("metric", name);
            Objects.requireNonNull(unit, "unit");
        }

        public static Value count(String name) {
            return new Value(name, 1, Unit.COUNT);
        }

        public static Value millis(String name, long millis) {
            return new Value(name, millis, Unit.MILLISECONDS);
        }
    }

    private final String namespace;
    private final Clock clock;
    private final Consumer<String> sink;

    /** Writes lines to {@code sink}, one call per emission. */
    public Metrics(String namespace, Clock clock, Consumer<String> sink) {
        this.namespace = checkName("namespace", namespace);
        this.clock = clock;
        this.sink = sink;
    }

    /** Lines to a stream (Lambda: stdout, where CloudWatch Logs picks them up). */
    public static Metrics to(PrintStream out, String namespace) {
        return new Metrics(namespace, Clock.systemUTC(), line -> {
            synchronized (out) {
                out.println(line);
            }
        });
    }

    /** Metrics that go nowhere (tests that do not look at them). */
    public static Metrics discard() {
        return new Metrics("Gatehouse", Clock.systemUTC(), line -> { });
    }

    /** Emits {@code values} under one dimension set (insertion order is kept). */
    public void emit(Map<String, String> dimensions, List<Value> values) {
        sink.accept(line(dimensions, values));
    }

    /** Adds one to {@code name}. */
    public void count(String name, Map<String, String> dimensions) {
        emit(dimensions, List.of(Value.count(name)));
    }

    String line(Map<String, String> dimensions, List<Value> values) {
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw new IllegalArgumentException(dimensions.size() + " dimensions, at most " + MAX_DIMENSIONS);
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no metric values");
        }
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        ArrayNode set = directive.putArray("Dimensions").addArray();
        ArrayNode metrics = directive.putArray("Metrics");
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, String> d : dimensions.entrySet()) {
            checkName("dimension", d.getKey());
            set.add(d.getKey());
            fields.put(d.getKey(), Objects.requireNonNull(d.getValue(), d.getKey()));
        }
        for (Map.Entry<String, String> f : fields.entrySet()) {
            root.put(f.getKey(), f.getValue());
        }
        for (Value v : values) {
            if (fields.containsKey(v.name()) || root.has(v.name())) {
                throw new IllegalArgumentException("metric " + v.name() + " collides with a dimension or another metric");
            }
            metrics.addObject().put("Name", v.name()).put("Unit", v.unit().cloudWatchName);
            if (v.value() == Math.rint(v.value()) && Math.abs(v.value()) < 1e15) {
                root.put(v.name(), (long) v.value());
            } else {
                root.put(v.name(), v.value());
            }
        }
        try {
            return UntrustedJson.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String checkName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " name '" + name + "'");
        }
        return name;
    }
}
