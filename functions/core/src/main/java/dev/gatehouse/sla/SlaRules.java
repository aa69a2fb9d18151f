package dev.gatehouse.sla;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.policy.PolicyBundle;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.rego.builtins.BuiltinException;
import dev.gatehouse.rego.builtins.BuiltinFunction;
import dev.gatehouse.rego.builtins.BuiltinRegistry;
import dev.gatehouse.rego.value.ArrayValue;
import dev.gatehouse.rego.value.BooleanValue;
import dev.gatehouse.rego.value.StringValue;
import dev.gatehouse.rego.value.Value;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The remediation rules of a policy bundle, read from the bundle's own data so that the SLA report
 * and the gate never disagree on numbers: {@code data.gatehouse.settings.vulnerabilities}
 * ({@code sla_days} by severity, {@code kev_sla_days}, {@code ignore}), {@code data.gatehouse.kev}
 * (CISA KEV ids), {@code data.gatehouse.settings.eol} and {@code data.gatehouse.eol}. The logic
 * mirrors policies/hardened vulnerabilities.rego and eol.rego.
 */
public final class SlaRules {

    static final Duration DAY = Duration.ofDays(1);
    private static final BuiltinFunction GLOB_MATCH = BuiltinRegistry.standard().lookup("glob.match").function();
    private static volatile SlaRules hardened;

    private final Map<String, Integer> slaDays;
    private final int kevSlaDays;
    private final Set<String> kev;
    private final Set<String> ignored;
    private final Map<String, Map<String, LocalDate>> eol;
    private final int eolWarnDays;
    private final String extendedSupportLabel;
    private final List<String> extendedSupportImages;
    private final String source;

    private SlaRules(JsonNode data, String source) throws PolicyException {
        this.source = source;
        JsonNode gatehouse = data.path("gatehouse");
        JsonNode vulnerabilities = gatehouse.path("settings").path("vulnerabilities");
        JsonNode days = vulnerabilities.path("sla_days");
        if (!days.isObject()) {
            throw new PolicyException(source + ": data.gatehouse.settings.vulnerabilities.sla_days is missing");
        }
        Map<String, Integer> bySeverity = new HashMap<>();
        days.properties().forEach(e -> bySeverity.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asInt(-1)));
        if (!bySeverity.containsKey("unknown") || bySeverity.values().stream().anyMatch(d -> d < 0)) {
            throw new PolicyException(source + ": data.gatehouse.settings.vulnerabilities.sla_days needs whole days, including 'unknown'");
        }
        this.slaDays = Map.copyOf(bySeverity);
        this.kevSlaDays = vulnerabilities.path("kev_sla_days").asInt(-1);
        if (kevSlaDays < 0) {
            throw new PolicyException(source + ": data.gatehouse.settings.vulnerabilities.kev_sla_days is missing");
        }
        this.kev = strings(gatehouse.path("kev"));
        this.ignored = strings(vulnerabilities.path("ignore"));
        Map<String, Map<String, LocalDate>> dates = new HashMap<>();
        for (Map.Entry<String, JsonNode> product : gatehouse.path("eol").properties()) {
            Map<String, LocalDate> cycles = new HashMap<>();
            for (Map.Entry<String, JsonNode> cycle : product.getValue().properties()) {
                try {
                    cycles.put(cycle.getKey(), LocalDate.parse(cycle.getValue().asText()));
                } catch (DateTimeParseException e) {
                    throw new PolicyException(source + ": data.gatehouse.eol." + product.getKey() + "." + cycle.getKey()
                            + " is not a YYYY-MM-DD date");
                }
            }
            dates.put(product.getKey(), Map.copyOf(cycles));
        }
        this.eol = Map.copyOf(dates);
        JsonNode eolSettings = gatehouse.path("settings").path("eol");
        this.eolWarnDays = eolSettings.path("warn_days_before").asInt(0);
        this.extendedSupportLabel = eolSettings.path("extended_support_label").asText(null);
        this.extendedSupportImages = List.copyOf(strings(eolSettings.path("extended_support_images")));
    }

    /** The rules of {@code bundle}, from its data (operator overrides included). */
    public static SlaRules of(PolicyBundle bundle) throws PolicyException {
        return new SlaRules(bundle.data(), bundle.source());
    }

    /** The rules of a bundle's data document given as JSON ({@code {"gatehouse": {...}}}). */
    public static SlaRules fromData(JsonNode data, String source) throws PolicyException {
        return new SlaRules(data, source);
    }

    /** The rules of the embedded hardened bundle. */
    public static SlaRules hardened() throws PolicyException {
        SlaRules rules = hardened;
        if (rules == null) {
            rules = of(PolicyBundle.hardened());
            hardened = rules;
        }
        return rules;
    }

    /** Where these rules came from (a bundle path or {@code embedded:hardened}). */
    public String source() {
        return source;
    }

    /** True when the id or one of its aliases is on the KEV list. */
    public boolean isKev(String id, Collection<String> aliases) {
        if (kev.contains(id)) {
            return true;
        }
        for (String alias : aliases) {
            if (kev.contains(alias)) {
                return true;
            }
        }
        return false;
    }

    /** The operator told the policy to skip this id ({@code settings.vulnerabilities.ignore}). */
    public boolean ignored(String id) {
        return ignored.contains(id);
    }

    /** Days a fixable finding may stay open: the KEV SLA, else by severity, else the {@code unknown} one. */
    public int slaDays(String severity, boolean kev) {
        if (kev) {
            return kevSlaDays;
        }
        Integer days = severity == null ? null : slaDays.get(severity.toLowerCase(Locale.ROOT));
        return days != null ? days : slaDays.get("unknown");
    }

    /** Whole days from {@code since} to {@code now}, rounded down, as the policy counts them. */
    public static long wholeDaysBetween(Instant since, Instant now) {
        return Math.floorDiv(Duration.between(since, now).toMillis(), DAY.toMillis());
    }

    /** The policy denies once more whole days than the SLA have passed: this is the first instant of the breach. */
    public static Instant breachStarts(Instant clockStart, int slaDays) {
        return clockStart.plus(DAY.multipliedBy(slaDays + 1L));
    }

    /**
     * The end-of-life date of a product: the cycle equal to the version or a dotted prefix of it
     * (12 for 12.7); the longest such cycle when several match.
     */
    public Optional<LocalDate> eolDate(String product, String version) {
        Map<String, LocalDate> cycles = eol.get(product.toLowerCase(Locale.ROOT));
        if (cycles == null || version == null) {
            return Optional.empty();
        }
        String best = null;
        for (String cycle : cycles.keySet()) {
            if ((cycle.equals(version) || version.startsWith(cycle + ".")) && (best == null || cycle.length() > best.length())) {
                best = cycle;
            }
        }
        return best == null ? Optional.empty() : Optional.of(cycles.get(best));
    }

    /** The first instant past end of life, as the policy compares: after midnight UTC of the date. */
    public static Instant endOfLife(LocalDate date) {
        return date.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public int eolWarnDays() {
        return eolWarnDays;
    }

    /** The label that, set to {@code "true"}, grants extended support; null when the bundle names none. */
    public String extendedSupportLabel() {
        return extendedSupportLabel;
    }

    /** A repository path (without registry) matched by a glob of {@code settings.eol.extended_support_images}. */
    public boolean extendedSupportRepository(String repositoryPath) {
        for (String pattern : extendedSupportImages) {
            try {
                Value matched = GLOB_MATCH.apply(new Value[] {StringValue.of(pattern), ArrayValue.of(StringValue.of("/")),
                        StringValue.of(repositoryPath)}, null);
                if (BooleanValue.of(true).equals(matched)) {
                    return true;
                }
            } catch (BuiltinException e) {
                // A glob that does not compile matches nothing, as glob.match errors leave the policy rule undefined.
            }
        }
        return false;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new HashSet<>();
        if (array.isArray()) {
            array.forEach(v -> {
                if (v.isTextual()) {
                    values.add(v.asText());
                }
            });
        }
        return values;
    }
}
