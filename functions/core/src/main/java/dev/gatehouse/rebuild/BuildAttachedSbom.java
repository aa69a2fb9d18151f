package dev.gatehouse.rebuild;

import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.ImageManifest;
import dev.gatehouse.oci.Manifest;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.sbom.SbomReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The SBOM a remote build made of its own image and attached, unsigned, as an OCI referrer of the
 * pushed digest (artifact type {@value #ARTIFACT_TYPE}, annotation {@value #BUILD_ID_ANNOTATION}
 * naming the build): how CodeBuild rebuilds get theirs, since cdxgen cannot run inside Lambda
 * (docs/rebuilds.md). Only the referrer of this build counts; the {@link RebuildHardener} then
 * validates it and signs it with the platform key, so the signature vouches for what the builder
 * produced for exactly this digest.
 */
public final class BuildAttachedSbom implements RebuiltImageSbom {

    public static final String ARTIFACT_TYPE = "application/vnd.cyclonedx+json";
    public static final String BUILD_ID_ANNOTATION = "dev.gatehouse.rebuild/build-id";
    /** Referrers of one image looked at, at most: a build attaches one. */
    static final int MAX_REFERRERS = 50;
    /** The script a build runs to attach its SBOM this way (Node 18+, no other dependency). */
    public static final String ATTACH_SCRIPT = "attach-sbom.mjs";

    /**
     * The text of {@value #ATTACH_SCRIPT}: {@code node attach-sbom.mjs HOST/REPOSITORY sha256:DIGEST BOM.json BUILD_ID},
     * with {@code GATEHOUSE_REGISTRY_AUTHORIZATION} the registry's Authorization header value.
     */
    public static String attachScript() {
        try (InputStream in = BuildAttachedSbom.class.getResourceAsStream(ATTACH_SCRIPT)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the shipped " + ATTACH_SCRIPT + " cannot be read", e);
        }
    }

    @Override
    public byte[] sbomOf(OciRepository repository, Descriptor image, BuildRunner.BuildRequest request, BuildRunner.Succeeded result)
            throws HardeningException {
        String what = repository.name() + "@" + image.digest();
        try {
            List<Descriptor> referrers = repository.referrers(image.digest(), ARTIFACT_TYPE);
            ImageManifest found = null;
            for (Descriptor referrer : referrers.subList(0, Math.min(referrers.size(), MAX_REFERRERS))) {
                // The manifest's own annotations decide: a fallback tag index may not copy them.
                Manifest manifest = repository.manifest(referrer);
                if (!(manifest instanceof ImageManifest m) || !result.buildId().equals(m.annotations().get(BUILD_ID_ANNOTATION))) {
                    continue;
                }
                // The referrer is unsigned: when two claim this build, one was planted, and the platform key must sign neither.
                if (found != null && !found.digest().equals(m.digest())) {
                    throw new HardeningException("two SBOM referrers of " + what + " claim build " + result.buildId() + " ("
                            + found.digest() + ", " + m.digest() + "): neither is signed");
                }
                if (m.layers().size() != 1) {
                    throw new HardeningException("the SBOM referrer " + referrer.digest() + " of " + what + " must have exactly one layer");
                }
                found = m;
            }
            if (found != null) {
                return repository.blob(found.layers().get(0).digest(), SbomReader.DEFAULT_MAX_BYTES);
            }
        } catch (RegistryException e) {
            throw new HardeningException("cannot read the SBOM build " + result.buildId() + " attached to " + what + ": " + e.getMessage(), e);
        }
        throw new HardeningException("build " + result.buildId() + " attached no SBOM to " + what + " (a referrer of artifact type "
                + ARTIFACT_TYPE + " annotated " + BUILD_ID_ANNOTATION + ")");
    }
}
