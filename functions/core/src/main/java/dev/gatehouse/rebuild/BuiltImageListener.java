package dev.gatehouse.rebuild;

import dev.gatehouse.ports.BuildRunner;

/**
 * Called after a rebuild was pushed, with its digest and the base digest it was built on: the
 * place to sign the image and attach its SBOM and provenance before its push is verified.
 */
@FunctionalInterface
public interface BuiltImageListener {

    void onBuilt(BuildRunner.BuildRequest request, BuildRunner.Succeeded result) throws Exception;
}
