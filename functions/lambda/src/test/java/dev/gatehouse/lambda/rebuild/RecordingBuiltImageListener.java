package dev.gatehouse.lambda.rebuild;

import dev.gatehouse.ports.BuildRunner;
import dev.gatehouse.rebuild.BuiltImageListener;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An after-build listener bean for the tests: what the rebuild executor handed over, as {@code target@digest on base}. */
@Singleton
public class RecordingBuiltImageListener implements BuiltImageListener {

    static final List<String> BUILT = new CopyOnWriteArrayList<>();

    @Override
    public void onBuilt(BuildRunner.BuildRequest request, BuildRunner.Succeeded result) {
        BUILT.add(request.target() + "@" + result.pushedDigest() + " on " + result.base().pinned());
    }
}
