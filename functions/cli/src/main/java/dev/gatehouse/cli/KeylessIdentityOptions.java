package dev.gatehouse.cli;

import dev.gatehouse.signature.CertificateIdentity;
import dev.gatehouse.signature.CertificateIdentity.StringMatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The identity keyless signatures must carry, as cosign takes it: one of
 * {@code --certificate-identity[-regexp]} and one of {@code --certificate-oidc-issuer[-regexp]}
 * (picocli refuses one without the other, or both forms of one). Use as {@code @ArgGroup(exclusive = false)}.
 */
final class KeylessIdentityOptions {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Issuer issuer;

    static final class Subject {
        @Option(names = "--certificate-identity", paramLabel = "ID", description = "Keyless: expected certificate SAN, exact.")
        String exact;

        @Option(names = "--certificate-identity-regexp", paramLabel = "REGEX",
                description = "Keyless: expected SAN, regular expression matched anywhere in it as cosign does (anchor with ^ and $).")
        String regexp;
    }

    static final class Issuer {
        @Option(names = "--certificate-oidc-issuer", paramLabel = "URL", description = "Keyless: expected OIDC issuer, exact.")
        String exact;

        @Option(names = "--certificate-oidc-issuer-regexp", paramLabel = "REGEX",
                description = "Keyless: expected OIDC issuer, regular expression matched anywhere in it as cosign does (anchor with ^ and $).")
        String regexp;
    }

    CertificateIdentity identity() {
        return new CertificateIdentity(match(subject.exact, subject.regexp), match(issuer.exact, issuer.regexp));
    }

    private static StringMatch match(String exact, String regexp) {
        return exact != null ? StringMatch.exact(exact) : StringMatch.regexpSearch(regexp);
    }
}
