package dev.gatehouse.cli.serve;

import dev.gatehouse.handlers.push.EventSource;
import dev.gatehouse.handlers.push.PushHandler;
import dev.gatehouse.handlers.push.PushSummary;
import dev.gatehouse.handlers.push.RegistryEvent;
import dev.gatehouse.handlers.push.RegistryEventParser;
import java.util.List;

/**
 * Registry push events on {@code gatehouse serve}: {@code POST /registry-push} takes a distribution
 * registry's notification envelope, {@code POST /events} an ECR event as EventBridge delivers it.
 * With a webhook secret configured both require {@code Authorization: Bearer SECRET} (or the secret
 * as one more path segment), which the host checks before it reads the body. A well-formed envelope answers 200 with the per-event summary (failed events
 * included: a registry would otherwise redeliver the whole envelope forever); a malformed one 400.
 */
public final class PushRoutes implements ServeModule {

    @Override
    public List<Route> routes(ServeContext context) {
        PushHandler handler = new PushHandler(context.pipeline(), context.repositories(),
                new PushHandler.Ports(context.results(), context.blobs(), context.idempotency(), context.events()),
                context.listeners(), PushHandler.Settings.defaults(), context.clock(), context.log(), context.metrics());
        RegistryEventParser parser = new RegistryEventParser();
        return List.of(
                Route.post("/registry-push", RegistryEventParser.MAX_ENVELOPE_BYTES,
                                request -> handle(context, handler, parser, request, EventSource.DISTRIBUTION))
                        .authenticatedBy(context.webhookSecret()),
                Route.post("/events", RegistryEventParser.MAX_ENVELOPE_BYTES,
                                request -> handle(context, handler, parser, request, EventSource.ECR_EVENTBRIDGE))
                        .authenticatedBy(context.webhookSecret()));
    }

    private static ServeResponse handle(ServeContext context, PushHandler handler, RegistryEventParser parser, ServeRequest request,
                                        EventSource expected) throws Exception {
        List<RegistryEvent> events = parser.parse(request.body());
        for (RegistryEvent event : events) {
            if (source(event) != expected) {
                return ServeResponse.error(400, request.path() + " takes " + (expected == EventSource.DISTRIBUTION
                        ? "a distribution notification envelope" : "an EventBridge ECR event") + ", not a " + source(event).label() + " event");
            }
        }
        PushSummary summary = handler.withLog(request.log()).handle(events);
        return ServeResponse.json(200, summary.toJson())
                .withLogField("verified", summary.count(dev.gatehouse.handlers.push.PushOutcome.Verified.class))
                .withLogField("duplicate", summary.count(dev.gatehouse.handlers.push.PushOutcome.Duplicate.class))
                .withLogField("ignored", summary.count(dev.gatehouse.handlers.push.PushOutcome.Ignored.class))
                .withLogField("failed", summary.count(dev.gatehouse.handlers.push.PushOutcome.Failed.class));
    }

    private static EventSource source(RegistryEvent event) {
        if (event instanceof RegistryEvent.ImagePushed p) {
            return p.push().source();
        }
        if (event instanceof RegistryEvent.AttachmentPushed a) {
            return a.push().source();
        }
        return ((RegistryEvent.Ignored) event).source();
    }
}
