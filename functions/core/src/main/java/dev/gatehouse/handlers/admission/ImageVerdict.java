package dev.gatehouse.handlers.admission;

import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.ports.VerdictCache;

/** What admission concluded about one distinct image of a request. */
public sealed interface ImageVerdict {

    /** Where a decided verdict came from. */
    enum Source { CACHE, FAST_PATH, PIPELINE }

    /** The image was decided by digest ({@code pinned} names no tag); the verdict may still deny. */
    record Decided(ImageReference pinned, VerdictCache.Verdict verdict, Source source) implements ImageVerdict {}

    /** Not checked: the exemption glob that matched its repository. */
    record Exempt(String glob) implements ImageVerdict {}

    /** The reference itself is unacceptable (it does not parse, or names a local path). */
    record Invalid(String reason) implements ImageVerdict {}

    /** Nothing was decided: the registry failed, the pipeline could not decide, or the deadline passed. */
    record Undecided(String reason) implements ImageVerdict {}
}
