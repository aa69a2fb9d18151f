package dev.gatehouse.vuln;

import dev.gatehouse.sbom.PackageUrl;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One vulnerability reported for one package, normalised from any scanner format.
 *
 * @param id the vulnerability id the scanner reports (e.g. CVE-2023-1234, GHSA-...)
 * @param aliases other ids of the same vulnerability (related CVEs, vendor ids)
 * @param purl the package, or null when the report does not give a purl
 * @param packageName the package name as reported, or null
 * @param installedVersion the installed version, or null
 * @param severity the scanner's severity
 * @param cvssScore the highest CVSS base score reported, or null
 * @param cvssVector the vector of that score, or null
 * @param fixedVersions versions that fix it; empty when none is known
 * @param published when the vulnerability was published, or null
 * @param fixDate when a fix became available, or null
 * @param dataSource where the scanner's data came from (a URL or a database name), or null
 */
public record Finding(
        String id,
        Set<String> aliases,
        PackageUrl purl,
        String packageName,
        String installedVersion,
        Severity severity,
        BigDecimal cvssScore,
        String cvssVector,
        List<String> fixedVersions,
        Instant published,
        Instant fixDate,
        String dataSource) {

    public Finding {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("finding without vulnerability id");
        }
        aliases = aliases == null ? Set.of() : Set.copyOf(aliases);
        fixedVersions = fixedVersions == null ? List.of() : List.copyOf(fixedVersions);
        severity = severity == null ? Severity.UNKNOWN : severity;
    }

    /** The id and its aliases: what VEX statements are looked up by. */
    public Set<String> ids() {
        if (aliases.isEmpty()) {
            return Set.of(id);
        }
        Set<String> all = new LinkedHashSet<>();
        all.add(id);
        all.addAll(aliases);
        return all;
    }

    /** A short form for reports: id and package. */
    public String describe() {
        String pkg = purl != null ? purl.toString()
                : packageName == null ? "?" : installedVersion == null ? packageName : packageName + "@" + installedVersion;
        return id + " in " + pkg;
    }
}
