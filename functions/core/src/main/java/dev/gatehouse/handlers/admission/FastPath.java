package dev.gatehouse.handlers.admission;

import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.ports.VerdictCache;
import java.util.Optional;

/**
 * A cheaper way to a verdict than the full pipeline, consulted after the verdict cache misses and
 * before the pipeline runs (e.g. a verification summary attestation Gatehouse signed for exactly
 * this key). Empty means "no shortcut": the pipeline decides. An exception is treated like empty,
 * so a broken fast path can only cost time, never change a verdict.
 *
 * <p>Its verdicts may have been reached outside admission (at push time, with no namespace), so
 * the handler consults it only when the policy cannot read the caller context
 * ({@link dev.gatehouse.policy.PolicyBundle#readsCallerContext}); an implementation matches every
 * part of the key but the namespace.
 */
@FunctionalInterface
public interface FastPath {

    /** No shortcut: every cache miss runs the pipeline. */
    FastPath NONE = (pinnedImage, key) -> Optional.empty();

    /**
     * @param pinnedImage the image by digest ({@code registry/repository@sha256:...}), never by tag
     * @param key         what the verdict must hold for: digest, policy revision, trust configuration, namespace
     */
    Optional<VerdictCache.Verdict> decide(ImageReference pinnedImage, VerdictCache.Key key);
}
