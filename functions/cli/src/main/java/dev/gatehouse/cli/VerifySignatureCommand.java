package dev.gatehouse.cli;

import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.ResolvedImage;
import dev.gatehouse.signature.Authority;
import dev.gatehouse.signature.ImageSignatureVerifier;
import dev.gatehouse.signature.PublicKeys;
import dev.gatehouse.signature.TlogRequirement;
import dev.gatehouse.signature.TrustConfig;
import dev.gatehouse.signature.TrustedRootSource;
import dev.gatehouse.signature.VerificationOutcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse verify-signature IMAGE}: cosign simple-signing signatures under the image's .sig tag. */
@Command(
        name = "verify-signature",
        mixinStandardHelpOptions = true,
        description = {
            "Verify the cosign signatures attached to an image (sha256-<hex>.sig) against keys, keyless identities "
                    + "and/or a trust configuration; print which signatures verified and why the others did not.",
            "Exit codes: 0 at least one trusted signature verified, 1 none did, 2 usage or I/O error."
        })
final class VerifySignatureCommand implements Callable<Integer> {

    @Mixin
    RegistryOptions registry;

    @Parameters(paramLabel = "IMAGE", description = "Image reference or oci:DIR[:TAG].")
    String image;

    @Option(names = "--key", paramLabel = "FILE", description = "Trusted PEM public key (repeatable).")
    List<Path> keys = new ArrayList<>();

    @ArgGroup(exclusive = false)
    KeylessIdentityOptions keyless;

    @Option(names = "--trusted-root", paramLabel = "FILE",
            description = "trusted_root.json for keyless chains and Rekor entries; without it the public-good root is fetched through TUF when needed.")
    Path trustedRoot;

    @Option(names = "--trust-config", paramLabel = "FILE", description = "Trust configuration (YAML/JSON, see docs/trust-config.md).")
    Path trustConfig;

    @Option(names = "--insecure-ignore-tlog", description = "Accept --key signatures without a transparency log entry (never for keyless).")
    boolean insecureIgnoreTlog;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ImageReference reference = ImageReference.parse(image);
        List<Authority> authorities = new ArrayList<>();
        if (trustConfig != null) {
            authorities.addAll(TrustConfig.read(trustConfig).authoritiesFor(reference.repositoryName()));
        }
        authorities.addAll(commandLineAuthorities());
        if (authorities.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), trustConfig != null
                    ? "the trust config names no authority for " + reference.repositoryName()
                    : "give --key, --certificate-identity[-regexp] with --certificate-oidc-issuer[-regexp], or --trust-config");
        }
        ResolvedImage resolved = registry.repositories().resolve(reference);
        ImageSignatureVerifier.Report report = ImageSignatureVerifier.verify(resolved.repository(),
                reference.repositoryName(), resolved.digest(), authorities);
        PrintWriter out = spec.commandLine().getOut();
        out.println(reference.repositoryName() + "@" + report.digest());
        if (report.signatureManifest().isEmpty()) {
            out.println("  no signatures (no " + report.digest().tagForm() + ".sig tag)");
        }
        for (ImageSignatureVerifier.SignatureResult result : report.signatures()) {
            String head = "  signature " + result.layer() + " (" + result.payload() + "): ";
            if (result.outcome() instanceof VerificationOutcome.Verified v) {
                out.println(head + "verified: " + v.signer() + ", authority " + v.authority()
                        + (v.signingTimes().isEmpty() ? "" : ", logged " + v.signingTimes().get(0)));
            } else {
                out.println(head + "not verified: " + ((VerificationOutcome.Rejected) result.outcome()).reason().replace('\n', ' '));
            }
        }
        if (!report.trusted()) {
            spec.commandLine().getErr().println(spec.qualifiedName(" ") + ": no trusted signature verified for "
                    + reference.repositoryName() + "@" + report.digest());
            return 1;
        }
        return 0;
    }

    private List<Authority> commandLineAuthorities() throws Exception {
        TrustedRootSource root = trustedRoot != null ? TrustedRootSource.file(trustedRoot) : TrustedRootSource.publicGood();
        List<Authority> out = new ArrayList<>();
        for (Path key : keys) {
            out.add(Authority.key(key.getFileName().toString(), PublicKeys.read(key),
                    insecureIgnoreTlog ? TlogRequirement.NONE : TlogRequirement.REQUIRED, root));
        }
        if (keyless != null) {
            out.add(Authority.keyless("keyless", keyless.identity(), root));
        }
        return out;
    }
}
