package dev.gatehouse.handlers.push;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.MediaTypes;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads registry push notifications: an EventBridge event from Amazon ECR, or a CNCF distribution
 * notification envelope ({@code application/vnd.docker.distribution.events.v1+json} and v2). The
 * envelope must be well formed ({@link MalformedInputException} otherwise); each event in it
 * becomes one {@link RegistryEvent}, and an event that is irrelevant or broken becomes
 * {@link RegistryEvent.Ignored} with a reason, so one bad event never hides the others.
 */
public final class RegistryEventParser {

    public static final int MAX_ENVELOPE_BYTES = 1024 * 1024;
    public static final int MAX_EVENTS = 1000;
    /** Prefix of the reason of an {@link RegistryEvent.Ignored} event that is broken rather than irrelevant. */
    public static final String INVALID = "invalid event: ";

    static final String ECR_FORMAT = "EventBridge ECR event";
    static final String DISTRIBUTION_FORMAT = "distribution notification envelope";
    private static final String FORMAT = "registry event";

    /**
     * ECR reports a manifest push as an image action, and a push of an OCI referrer (a manifest with
     * a subject: signature, attestation, SBOM) as a referrer action; the handler reads the manifest
     * and re-verifies the referrer's subject.
     */
    private static final Set<String> PUSH_DETAIL_TYPES = Set.of("ECR Image Action", "ECR Referrer Action");
    private static final int MAX_FIELD = 1024;
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern ATTACHMENT_TAG = Pattern.compile("(sha256|sha512)-([0-9a-f]+)(?:\\.(sig|att|sbom))?");
    private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?"
                    + "|\\[[0-9A-Fa-f:.]+\\](?::[0-9]{1,5})?");

    /** Parses either envelope kind, told apart by its shape. */
    public List<RegistryEvent> parse(byte[] content) throws MalformedInputException {
        JsonNode root = UntrustedJson.parse(content, FORMAT, MAX_ENVELOPE_BYTES);
        if (!root.isObject()) {
            throw new MalformedInputException(FORMAT, "/", "expected a JSON object, found " + type(root));
        }
        if (root.has("events")) {
            return distribution(root);
        }
        if (root.has("detail-type") || root.has("source") && root.has("detail")) {
            return List.of(eventBridge(root));
        }
        throw new MalformedInputException(FORMAT, "/",
                "neither a distribution notification envelope (no \"events\") nor an EventBridge event (no \"detail-type\")");
    }

    private static RegistryEvent eventBridge(JsonNode root) throws MalformedInputException {
        String id = optionalText(root, "id", ECR_FORMAT, "/id");
        String source = requiredText(root, "source", ECR_FORMAT, "/source");
        String detailType = requiredText(root, "detail-type", ECR_FORMAT, "/detail-type");
        JsonNode detail = root.get("detail");
        if (detail == null || !detail.isObject()) {
            throw new MalformedInputException(ECR_FORMAT, "/detail", "expected an object");
        }
        EventSource kind = EventSource.ECR_EVENTBRIDGE;
        if (!source.equals("aws.ecr")) {
            return new RegistryEvent.Ignored(id, kind, "source '" + abbreviate(source) + "' is not aws.ecr");
        }
        if (!PUSH_DETAIL_TYPES.contains(detailType)) {
            return new RegistryEvent.Ignored(id, kind, "detail-type '" + abbreviate(detailType) + "' is not an image push");
        }
        try {
            String action = requiredText(detail, "action-type", ECR_FORMAT, "/detail/action-type");
            if (!action.equals("PUSH")) {
                return new RegistryEvent.Ignored(id, kind, "action-type " + abbreviate(action) + " is not a push");
            }
            String result = requiredText(detail, "result", ECR_FORMAT, "/detail/result");
            if (!result.equals("SUCCESS")) {
                return new RegistryEvent.Ignored(id, kind, "push result " + abbreviate(result) + ", not SUCCESS");
            }
            String account = requiredText(root, "account", ECR_FORMAT, "/account");
            String region = requiredText(root, "region", ECR_FORMAT, "/region");
            if (!ACCOUNT.matcher(account).matches()) {
                return invalid(id, kind, "/account: '" + abbreviate(account) + "' is not a 12-digit AWS account id");
            }
            if (!REGION.matcher(region).matches()) {
                return invalid(id, kind, "/region: '" + abbreviate(region) + "' is not an AWS region");
            }
            String registry = account + ".dkr.ecr." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
            String mediaType = optionalText(detail, "manifest-media-type", ECR_FORMAT, "/detail/manifest-media-type");
            return push(id, kind, registry,
                    requiredText(detail, "repository-name", ECR_FORMAT, "/detail/repository-name"), "/detail/repository-name",
                    requiredText(detail, "image-digest", ECR_FORMAT, "/detail/image-digest"), "/detail/image-digest",
                    optionalText(detail, "image-tag", ECR_FORMAT, "/detail/image-tag"), "/detail/image-tag",
                    mediaType, optionalText(root, "time", ECR_FORMAT, "/time"), "/time");
        } catch (MalformedInputException e) {
            return invalid(id, kind, e.location() + ": " + problem(e));
        }
    }

    private static List<RegistryEvent> distribution(JsonNode root) throws MalformedInputException {
        JsonNode events = root.get("events");
        if (!events.isArray()) {
            throw new MalformedInputException(DISTRIBUTION_FORMAT, "/events", "expected an array, found " + type(events));
        }
        if (events.size() > MAX_EVENTS) {
            throw new MalformedInputException(DISTRIBUTION_FORMAT, "/events",
                    events.size() + " events exceed the limit of " + MAX_EVENTS);
        }
        List<RegistryEvent> out = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            out.add(distributionEvent(events.get(i), "/events/" + i));
        }
        return out;
    }

    private static RegistryEvent distributionEvent(JsonNode event, String at) {
        EventSource kind = EventSource.DISTRIBUTION;
        if (!event.isObject()) {
            return invalid(null, kind, at + ": expected an object, found " + type(event));
        }
        String id = null;
        try {
            id = optionalText(event, "id", DISTRIBUTION_FORMAT, at + "/id");
            String action = requiredText(event, "action", DISTRIBUTION_FORMAT, at + "/action");
            if (!action.equals("push")) {
                return new RegistryEvent.Ignored(id, kind, "action " + abbreviate(action) + " is not a push");
            }
            JsonNode target = event.get("target");
            if (target == null || !target.isObject()) {
                return invalid(id, kind, at + "/target: expected an object");
            }
            String mediaType = optionalText(target, "mediaType", DISTRIBUTION_FORMAT, at + "/target/mediaType");
            if (mediaType == null) {
                return invalid(id, kind, at + "/target/mediaType: missing, cannot tell a manifest from a blob");
            }
            String essence = MediaTypes.essence(mediaType);
            if (essence.equals(MediaTypes.DOCKER_MANIFEST_V1_SIGNED) || essence.equals("application/vnd.docker.distribution.manifest.v1+json")) {
                return new RegistryEvent.Ignored(id, kind, "Docker schema 1 manifest pushed: not verifiable");
            }
            if (!MediaTypes.isManifestOrIndex(essence)) {
                return new RegistryEvent.Ignored(id, kind, "blob push (mediaType " + abbreviate(mediaType) + "), not a manifest");
            }
            String registry = registryHost(event, target, at);
            if (registry == null) {
                return invalid(id, kind, at + ": no registry host in target.url or request.host");
            }
            return push(id, kind, registry,
                    requiredText(target, "repository", DISTRIBUTION_FORMAT, at + "/target/repository"), at + "/target/repository",
                    requiredText(target, "digest", DISTRIBUTION_FORMAT, at + "/target/digest"), at + "/target/digest",
                    optionalText(target, "tag", DISTRIBUTION_FORMAT, at + "/target/tag"), at + "/target/tag",
                    essence, optionalText(event, "timestamp", DISTRIBUTION_FORMAT, at + "/timestamp"), at + "/timestamp");
        } catch (MalformedInputException e) {
            return invalid(id, kind, e.location() + ": " + problem(e));
        }
    }

    /** target.url's authority (the name clients pushed to), else request.host; null when neither is usable. */
    private static String registryHost(JsonNode event, JsonNode target, String at) throws MalformedInputException {
        String url = optionalText(target, "url", DISTRIBUTION_FORMAT, at + "/target/url");
        if (url != null) {
            try {
                URI uri = new URI(url);
                String host = uri.getRawAuthority();
                if (host != null && uri.getRawUserInfo() == null && HOST.matcher(host).matches()) {
                    return host.toLowerCase(Locale.ROOT);
                }
            } catch (URISyntaxException e) {
                // Fall back to request.host below.
            }
        }
        JsonNode request = event.get("request");
        if (request != null && request.isObject()) {
            String host = optionalText(request, "host", DISTRIBUTION_FORMAT, at + "/request/host");
            if (host != null && HOST.matcher(host).matches()) {
                return host.toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    private static RegistryEvent push(String id, EventSource kind, String registry, String repository, String repositoryAt,
                                      String digestText, String digestAt, String tag, String tagAt,
                                      String mediaType, String timeText, String timeAt) {
        try {
            ImageReference.checkRepositoryPath(repository);
        } catch (IllegalArgumentException e) {
            return invalid(id, kind, repositoryAt + ": " + e.getMessage());
        }
        Digest digest;
        try {
            digest = Digest.parse(digestText);
        } catch (IllegalArgumentException e) {
            return invalid(id, kind, digestAt + ": '" + abbreviate(digestText) + "': " + e.getMessage());
        }
        // An empty tag is a push by digest, however the registry spells "no tag".
        if (tag != null && tag.isEmpty()) {
            tag = null;
        }
        if (tag != null && !TAG.matcher(tag).matches()) {
            return invalid(id, kind, tagAt + ": invalid tag '" + abbreviate(tag) + "'");
        }
        if (mediaType != null && !MediaTypes.isWellFormed(mediaType)) {
            return invalid(id, kind, "media type '" + abbreviate(mediaType) + "' is not well formed");
        }
        Instant time = null;
        if (timeText != null) {
            try {
                time = OffsetDateTime.parse(timeText).toInstant();
            } catch (DateTimeParseException e) {
                return invalid(id, kind, timeAt + ": '" + abbreviate(timeText) + "' is not an RFC 3339 time");
            }
        }
        PushEvent push = new PushEvent(registry, repository, digest, tag, mediaType, id, time, kind);
        Matcher attachment = tag == null ? null : ATTACHMENT_TAG.matcher(tag);
        if (attachment != null && attachment.matches()) {
            Digest subject;
            try {
                subject = new Digest(attachment.group(1), attachment.group(2));
            } catch (IllegalArgumentException e) {
                return new RegistryEvent.ImagePushed(push);
            }
            AttachmentKind attachmentKind = attachment.group(3) == null ? AttachmentKind.REFERRERS_INDEX : switch (attachment.group(3)) {
                case "sig" -> AttachmentKind.SIGNATURE;
                case "att" -> AttachmentKind.ATTESTATION;
                default -> AttachmentKind.SBOM;
            };
            return new RegistryEvent.AttachmentPushed(push, subject, attachmentKind);
        }
        return new RegistryEvent.ImagePushed(push);
    }

    private static RegistryEvent.Ignored invalid(String id, EventSource kind, String problem) {
        return new RegistryEvent.Ignored(id, kind, INVALID + problem);
    }

    private static String requiredText(JsonNode node, String field, String format, String at) throws MalformedInputException {
        String value = optionalText(node, field, format, at);
        if (value == null) {
            throw new MalformedInputException(format, at, "missing");
        }
        return value;
    }

    private static String optionalText(JsonNode node, String field, String format, String at) throws MalformedInputException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new MalformedInputException(format, at, "expected a string, found " + type(value));
        }
        String text = value.textValue();
        if (text.length() > MAX_FIELD) {
            throw new MalformedInputException(format, at, "string of " + text.length() + " characters exceeds " + MAX_FIELD);
        }
        return text;
    }

    private static String problem(MalformedInputException e) {
        String message = e.getMessage();
        int colon = message.indexOf(": ");
        return colon < 0 ? message : message.substring(colon + 2);
    }

    private static String type(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
