package dev.gatehouse.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedYaml;
import dev.gatehouse.rego.archive.BoundedTarGz;
import dev.gatehouse.rego.archive.TarGzException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Helm chart package ({@code .tgz}, the content layer of a chart stored as an OCI artifact) and
 * the container images it deploys, found the way chart tooling and artifacthub do (docs/helm.md):
 * the {@code artifacthub.io/images} annotation of Chart.yaml, image maps and strings in the
 * values.yaml files of the chart and its unpacked subcharts, and literal {@code image:} lines in
 * templates. Templated references are resolved only for the common {@code tag | default
 * .Chart.AppVersion} convention; nothing is rendered.
 *
 * @param images image references, deduplicated, in the order found
 */
public record HelmChart(String name, String version, String appVersion, List<String> images) {

    public static final String FORMAT = "Helm chart";
    public static final String CONFIG_MEDIA_TYPE = "application/vnd.cncf.helm.config.v1+json";
    public static final String CONTENT_MEDIA_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    /** Charts are small; these bound what a hostile one can make us expand, keep or verify. */
    public static final int MAX_PACKAGE_BYTES = 16 << 20;
    public static final BoundedTarGz.Limits LIMITS = new BoundedTarGz.Limits(10_000, 4 << 20, 64L << 20);
    public static final int MAX_IMAGES = 100;

    private static final Pattern TEMPLATE_IMAGE = Pattern.compile("^\\s*(?:-\\s*)?image:\\s*[\"']?([^\"'\\s{}]+)[\"']?\\s*(?:#.*)?$");

    public HelmChart {
        images = List.copyOf(images);
    }

    public static HelmChart read(byte[] chartPackage) throws MalformedInputException {
        if (chartPackage.length > MAX_PACKAGE_BYTES) {
            throw new MalformedInputException(FORMAT, "", "package of " + chartPackage.length + " bytes exceeds the limit of "
                    + MAX_PACKAGE_BYTES + " bytes");
        }
        Map<String, byte[]> files;
        try {
            files = BoundedTarGz.read(chartPackage, LIMITS, HelmChart::relevant);
        } catch (TarGzException e) {
            throw new MalformedInputException(FORMAT, e.entry(), e.problem());
        }
        String root = files.keySet().stream().filter(p -> p.endsWith("/Chart.yaml") && depth(p) == 1).findFirst()
                .map(p -> p.substring(0, p.length() - "Chart.yaml".length()))
                .orElseThrow(() -> new MalformedInputException(FORMAT, "", "no <chart>/Chart.yaml at the top of the package"));
        JsonNode chart = yaml(files, root + "Chart.yaml");
        String name = text(chart, "name");
        String version = text(chart, "version");
        if (name == null || version == null) {
            throw new MalformedInputException(FORMAT, root + "Chart.yaml", "name and version are required");
        }
        String appVersion = text(chart, "appVersion");
        Set<String> images = new LinkedHashSet<>();
        annotatedImages(chart, root + "Chart.yaml", images);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String path = f.getKey();
            if (!path.startsWith(root)) {
                continue;
            }
            if (path.endsWith("values.yaml")) {
                valuesImages(yaml(files, path), appVersion, images);
            } else if (path.contains("/templates/")) {
                templateImages(f.getValue(), images);
            }
            if (images.size() > MAX_IMAGES) {
                throw new MalformedInputException(FORMAT, path, "references more than " + MAX_IMAGES + " images");
            }
        }
        return new HelmChart(name, version, appVersion, new ArrayList<>(images));
    }

    private static boolean relevant(String path) {
        return path.endsWith("/Chart.yaml") || path.endsWith("/values.yaml")
                || path.contains("/templates/") && (path.endsWith(".yaml") || path.endsWith(".yml") || path.endsWith(".tpl"));
    }

    private static int depth(String path) {
        return (int) path.chars().filter(c -> c == '/').count();
    }

    private static JsonNode yaml(Map<String, byte[]> files, String path) throws MalformedInputException {
        String text = new String(files.get(path), StandardCharsets.UTF_8);
        boolean empty = text.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#") || l.strip().equals("---"));
        return empty ? MissingNode.getInstance() : UntrustedYaml.parse(files.get(path), FORMAT + " " + path, LIMITS.maxFileBytes());
    }

    /** artifacthub.io/images: a YAML list, inside a string annotation, of {name, image}. */
    private static void annotatedImages(JsonNode chart, String path, Set<String> images) throws MalformedInputException {
        JsonNode annotation = chart.path("annotations").path("artifacthub.io/images");
        if (!annotation.isTextual()) {
            return;
        }
        JsonNode list = UntrustedYaml.parse(annotation.asText().getBytes(StandardCharsets.UTF_8),
                FORMAT + " " + path + " annotation artifacthub.io/images", LIMITS.maxFileBytes());
        for (JsonNode entry : list) {
            String image = text(entry, "image");
            if (image != null && !image.isBlank()) {
                images.add(image.strip());
            }
        }
    }

    /**
     * Image maps ({@code repository} with optional {@code registry}, {@code tag}, {@code digest}),
     * and string values of keys named {@code image}, anywhere in values.
     */
    private static void valuesImages(JsonNode node, String appVersion, Set<String> images) {
        if (node.isObject()) {
            JsonNode repository = node.get("repository");
            if (repository != null && repository.isTextual() && !repository.asText().isBlank() && !templated(repository.asText())) {
                images.add(compose(node, repository.asText().strip(), appVersion));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = field.getValue();
                if (field.getKey().equals("image") && value.isTextual() && !value.asText().isBlank() && !templated(value.asText())) {
                    images.add(value.asText().strip());
                } else {
                    valuesImages(value, appVersion, images);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> valuesImages(n, appVersion, images));
        }
    }

    private static String compose(JsonNode map, String repository, String appVersion) {
        String registry = text(map, "registry");
        String ref = registry == null || registry.isBlank() ? repository : registry.strip() + "/" + repository;
        String digest = text(map, "digest");
        String tag = text(map, "tag");
        if (tag == null || tag.isBlank()) {
            tag = digest == null || digest.isBlank() ? appVersion : null;
        }
        if (tag != null && !tag.isBlank() && !templated(tag)) {
            ref += ":" + tag.strip();
        }
        if (digest != null && !digest.isBlank()) {
            ref += "@" + digest.strip();
        }
        return ref;
    }

    private static void templateImages(byte[] template, Set<String> images) {
        for (String line : new String(template, StandardCharsets.UTF_8).split("\n")) {
            Matcher m = TEMPLATE_IMAGE.matcher(line);
            if (m.matches()) {
                images.add(m.group(1));
            }
        }
    }

    private static boolean templated(String value) {
        return value.contains("{{");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }
}
