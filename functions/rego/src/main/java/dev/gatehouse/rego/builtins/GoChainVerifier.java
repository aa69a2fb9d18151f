package dev.gatehouse.rego.builtins;

import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chain verification by the rules of Go's {@code x509.Certificate.Verify}, the way OPA calls it: the
 * first certificate is the only root, the last is the leaf, the ones between are intermediates.
 * Candidates are matched by issuer name, signatures checked against the parent (which must be a CA
 * allowed to sign certificates; MD5 and SHA-1 signatures are refused), every certificate must be
 * within its validity period at the verification time, intermediates must be CAs within their path
 * length, name constraints bind the leaf's names, and the chain must allow the requested extended
 * key usages (server authentication when none are given). Key usage bits other than certSign are
 * ignored, as Go ignores them.
 */
final class GoChainVerifier {

    static final int EXT_KEY_USAGE_ANY = 0;
    static final int EXT_KEY_USAGE_SERVER_AUTH = 1;
    private static final int KEY_USAGE_CERT_SIGN = 1 << 5;
    private static final int MAX_SIGNATURE_CHECKS = 100;

    /** The Go VerifyOptions OPA passes on. */
    record Options(String dnsName, Long currentTimeNanos, List<Integer> keyUsages) {
        static final Options DEFAULT = new Options("", null, List.of());
    }

    private enum Role { LEAF, INTERMEDIATE, ROOT }

    private final GoCertificate root;
    private final List<GoCertificate> intermediates;
    private final Options options;
    private final long nowMillis;
    private int signatureChecks;

    private GoChainVerifier(List<GoCertificate> certs, Options options) {
        this.root = certs.get(0);
        this.intermediates = certs.subList(1, certs.size() - 1);
        this.options = options;
        this.nowMillis = options.currentTimeNanos() == null ? System.currentTimeMillis()
                : Math.floorDiv(options.currentTimeNanos(), 1_000_000L);
    }

    /** The verified chain, leaf first and root last, or empty when Go would refuse it. */
    static Optional<List<GoCertificate>> verify(List<GoCertificate> certs, Options options) {
        if (certs.size() < 2) {
            return Optional.empty();
        }
        return new GoChainVerifier(certs, options).run(certs.get(certs.size() - 1));
    }

    private Optional<List<GoCertificate>> run(GoCertificate leaf) {
        if (!isValid(leaf, Role.LEAF, List.of())) {
            return Optional.empty();
        }
        if (!options.dnsName().isEmpty() && !matchesHostname(leaf, options.dnsName())) {
            return Optional.empty();
        }
        List<List<GoCertificate>> chains;
        if (Arrays.equals(leaf.raw, root.raw)) {
            chains = List.of(List.of(leaf));
        } else {
            chains = buildChains(leaf, List.of(leaf));
        }
        List<Integer> usages = options.keyUsages().isEmpty() ? List.of(EXT_KEY_USAGE_SERVER_AUTH) : options.keyUsages();
        if (usages.contains(EXT_KEY_USAGE_ANY)) {
            return chains.stream().findFirst();
        }
        return chains.stream().filter(chain -> allowsUsages(chain, usages)).findFirst();
    }

    private List<List<GoCertificate>> buildChains(GoCertificate cert, List<GoCertificate> current) {
        List<List<GoCertificate>> chains = new ArrayList<>();
        for (GoCertificate candidate : potentialParents(List.of(root), cert)) {
            consider(cert, candidate, Role.ROOT, current, chains);
        }
        for (GoCertificate candidate : potentialParents(intermediates, cert)) {
            consider(cert, candidate, Role.INTERMEDIATE, current, chains);
        }
        return chains;
    }

    private void consider(GoCertificate child, GoCertificate candidate, Role role, List<GoCertificate> current,
            List<List<GoCertificate>> chains) {
        if (candidate.publicKeyAlgorithm == 0 || alreadyInChain(candidate, current)) {
            return;
        }
        if (++signatureChecks > MAX_SIGNATURE_CHECKS) {
            return;
        }
        if (!signedBy(child, candidate) || !isValid(candidate, role, current)) {
            return;
        }
        List<GoCertificate> extended = new ArrayList<>(current);
        extended.add(candidate);
        if (role == Role.ROOT) {
            chains.add(extended);
        } else {
            chains.addAll(buildChains(candidate, extended));
        }
    }

    /** Same subject as the issuer; those whose key id matches the authority key id first. */
    private static List<GoCertificate> potentialParents(List<GoCertificate> pool, GoCertificate child) {
        List<GoCertificate> matching = new ArrayList<>();
        List<GoCertificate> oneMissing = new ArrayList<>();
        List<GoCertificate> mismatching = new ArrayList<>();
        for (GoCertificate c : pool) {
            if (!Arrays.equals(c.rawSubject, child.rawIssuer)) {
                continue;
            }
            boolean kidMatch = c.subjectKeyId != null && child.authorityKeyId != null && Arrays.equals(c.subjectKeyId, child.authorityKeyId);
            boolean kidMissing = c.subjectKeyId == null || child.authorityKeyId == null;
            (kidMatch ? matching : kidMissing ? oneMissing : mismatching).add(c);
        }
        matching.addAll(oneMissing);
        matching.addAll(mismatching);
        return matching;
    }

    private static boolean alreadyInChain(GoCertificate candidate, List<GoCertificate> chain) {
        for (GoCertificate c : chain) {
            if (Arrays.equals(candidate.rawSubject, c.rawSubject)
                    && Arrays.equals(candidate.publicKey().getEncoded(), c.publicKey().getEncoded())
                    && Arrays.equals(candidate.sanExtension, c.sanExtension)) {
                return true;
            }
        }
        return false;
    }

    /** Go's CheckSignatureFrom, with its refusal of MD5, SHA-1 and RSA keys under 1024 bits. */
    private static boolean signedBy(GoCertificate child, GoCertificate parent) {
        if ((parent.version == 3 && !parent.basicConstraintsValid) || (parent.basicConstraintsValid && !parent.isCA)) {
            return false;
        }
        if (parent.keyUsage != 0 && (parent.keyUsage & KEY_USAGE_CERT_SIGN) == 0) {
            return false;
        }
        int alg = child.signatureAlgorithm;
        boolean insecureOrUnsupported = alg == 0 || alg == 1 || alg == 2 || alg == 3 || alg == 7 || alg == 8 || alg == 9;
        if (insecureOrUnsupported) {
            return false;
        }
        if (parent.publicKey() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 1024) {
            return false;
        }
        try {
            child.jdk.verify(parent.publicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private boolean isValid(GoCertificate c, Role role, List<GoCertificate> current) {
        if (!c.unhandledCritical.isEmpty()) {
            return false;
        }
        if (!current.isEmpty() && !Arrays.equals(current.get(current.size() - 1).rawIssuer, c.rawSubject)) {
            return false;
        }
        if (nowMillis < c.notBefore.getTime() || nowMillis > c.notAfter.getTime()) {
            return false;
        }
        if (role != Role.LEAF && !(c.permitted.isEmpty() && c.excluded.isEmpty()) && !leafWithinConstraints(current.get(0), c)) {
            return false;
        }
        if (role == Role.INTERMEDIATE && (!c.basicConstraintsValid || !c.isCA)) {
            return false;
        }
        return !(c.basicConstraintsValid && c.maxPathLen >= 0 && current.size() - 1 > c.maxPathLen);
    }

    /** Go checks the names of a leaf that has a SubjectAltName extension against each CA's constraints. */
    private static boolean leafWithinConstraints(GoCertificate leaf, GoCertificate ca) {
        if (leaf.sanExtension == null) {
            return true;
        }
        for (String dns : leaf.sans.dns()) {
            if (!allowed(dns, ca.permitted.dns, ca.excluded.dns, GoChainVerifier::matchDomain)) {
                return false;
            }
        }
        for (String email : leaf.sans.emails()) {
            if (!allowed(email, ca.permitted.emails, ca.excluded.emails, GoChainVerifier::matchEmail)) {
                return false;
            }
        }
        for (String uri : leaf.sans.uris()) {
            String host = uriHost(uri);
            if (host == null || !allowed(host, ca.permitted.uriDomains, ca.excluded.uriDomains, GoChainVerifier::matchDomain)) {
                return false;
            }
        }
        for (byte[] ip : leaf.sans.ips()) {
            if (!allowedIp(ip, ca.permitted.ipRanges, ca.excluded.ipRanges)) {
                return false;
            }
        }
        return true;
    }

    private interface Matcher {
        boolean matches(String name, String constraint);
    }

    private static boolean allowed(String name, List<String> permitted, List<String> excluded, Matcher m) {
        for (String ex : excluded) {
            if (m.matches(name, ex)) {
                return false;
            }
        }
        if (permitted.isEmpty()) {
            return true;
        }
        for (String p : permitted) {
            if (m.matches(name, p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allowedIp(byte[] ip, List<byte[]> permitted, List<byte[]> excluded) {
        for (byte[] range : excluded) {
            if (inRange(ip, range)) {
                return false;
            }
        }
        if (permitted.isEmpty()) {
            return true;
        }
        for (byte[] range : permitted) {
            if (inRange(ip, range)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inRange(byte[] ip, byte[] range) {
        int n = range.length / 2;
        if (ip.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if ((ip[i] & range[n + i]) != (range[i] & range[n + i])) {
                return false;
            }
        }
        return true;
    }

    /** Go's matchDomainConstraint: a leading dot requires a proper subdomain. */
    private static boolean matchDomain(String domain, String constraint) {
        if (constraint.isEmpty()) {
            return true;
        }
        boolean subdomainsOnly = constraint.startsWith(".");
        String[] d = reverseLabels(domain);
        String[] c = reverseLabels(subdomainsOnly ? constraint.substring(1) : constraint);
        if (d.length < c.length || (subdomainsOnly && d.length == c.length)) {
            return false;
        }
        for (int i = 0; i < c.length; i++) {
            if (!c[i].equalsIgnoreCase(d[i])) {
                return false;
            }
        }
        return true;
    }

    private static String[] reverseLabels(String domain) {
        String[] labels = domain.split("\\.", -1);
        String[] out = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[labels.length - 1 - i];
        }
        return out;
    }

    /** Go's matchEmailConstraint: a mailbox, a host, or a domain with a leading dot. */
    private static boolean matchEmail(String email, String constraint) {
        int at = email.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        if (constraint.contains("@")) {
            return email.equalsIgnoreCase(constraint);
        }
        return matchDomain(email.substring(at + 1), constraint);
    }

    private static String uriHost(String uri) {
        int scheme = uri.indexOf("://");
        if (scheme < 0) {
            return null;
        }
        String rest = uri.substring(scheme + 3);
        int end = rest.length();
        for (char stop : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(stop);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        String host = rest.substring(rest.lastIndexOf('@', end) + 1, end);
        int colon = host.lastIndexOf(':');
        return colon >= 0 && !host.startsWith("[") ? host.substring(0, colon) : host;
    }

    /** Go's VerifyHostname: IP literals against IP SANs, names against DNS SANs with a leading wildcard label. */
    private static boolean matchesHostname(GoCertificate leaf, String host) {
        String candidate = host.length() >= 3 && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] ip = NetBuiltins.parseIp(candidate);
        if (ip != null) {
            for (byte[] san : leaf.sans.ips()) {
                if (Arrays.equals(normalize(san), normalize(ip))) {
                    return true;
                }
            }
            return false;
        }
        String name = stripDot(host.toLowerCase(Locale.ROOT));
        for (String pattern : leaf.sans.dns()) {
            String p = stripDot(pattern.toLowerCase(Locale.ROOT));
            if (matchHostname(p, name)) {
                return true;
            }
        }
        return false;
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean matchHostname(String pattern, String host) {
        if (pattern.isEmpty() || host.isEmpty()) {
            return false;
        }
        String[] p = pattern.split("\\.", -1);
        String[] h = host.split("\\.", -1);
        if (p.length != h.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (i == 0 && p[i].equals("*")) {
                continue;
            }
            if (!p[i].equals(h[i])) {
                return false;
            }
        }
        return true;
    }

    /** IPv4 addresses in their 16-byte IPv4-mapped form, so both lengths compare equal as Go's IP.Equal does. */
    private static byte[] normalize(byte[] ip) {
        if (ip.length == 16) {
            return ip;
        }
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(ip, 0, out, 12, 4);
        return out;
    }

    /** Go's checkChainForKeyUsage: walking from the root, each certificate with EKUs crosses out what it lacks. */
    private static boolean allowsUsages(List<GoCertificate> chain, List<Integer> requested) {
        List<Integer> remaining = new ArrayList<>(requested);
        for (int i = chain.size() - 1; i >= 0; i--) {
            GoCertificate c = chain.get(i);
            if (c.extKeyUsage.isEmpty() && c.unknownExtKeyUsage.isEmpty()) {
                continue;
            }
            if (c.extKeyUsage.contains(EXT_KEY_USAGE_ANY)) {
                continue;
            }
            remaining.removeIf(usage -> !c.extKeyUsage.contains(usage)
                    && !(usage == EXT_KEY_USAGE_SERVER_AUTH && (c.extKeyUsage.contains(10) || c.extKeyUsage.contains(11))));
            if (remaining.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
