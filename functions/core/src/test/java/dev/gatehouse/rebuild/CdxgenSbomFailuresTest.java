package dev.gatehouse.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** How a failing generator is reported, with a stand-in script for cdxgen (no real cdxgen needed). */
class CdxgenSbomFailuresTest {

    @RegisterExtension
    static final LocalRegistry REGISTRY = LocalRegistry.anonymous();

    @TempDir
    Path dir;

    @Test
    void aGeneratorThatFailsIsReportedWithTheLastLineOfItsLog() throws Exception {
        OciRepository repository = REGISTRY.repository("cdxgen/failing");
        Descriptor image = RebuildFixtures.pushImage(repository, "1", "10001", CdxgenSbomTest.debianFiles("libexample", "1.0.1"), Map.of());
        Path script = script("failing", "yes 'a table row of cdxgen output' | head -c 200000\necho 'trivy plugin crashed'\nexit 3\n");

        assertThatThrownBy(() -> new CdxgenSbom(script.toString(), dir.resolve("work"), Duration.ofMinutes(1), 1L << 30)
                .sbomOf(repository, image, null, null))
                .isInstanceOf(HardeningException.class).hasMessageContaining("exited 3").hasMessageEndingWith("trivy plugin crashed");
        assertThat(Files.list(dir.resolve("work"))).as("archives and the log are removed").isEmpty();
    }

    @Test
    void aGeneratorThatHangsIsStoppedWithTheProcessesItStarted() throws Exception {
        OciRepository repository = REGISTRY.repository("cdxgen/hanging");
        Descriptor image = RebuildFixtures.pushImage(repository, "1", "10001", CdxgenSbomTest.debianFiles("libexample", "1.0.1"), Map.of());
        Path pidFile = dir.resolve("child.pid");
        Path script = script("hanging", "sleep 300 &\necho $! > " + pidFile + "\nwait\n");

        assertThatThrownBy(() -> new CdxgenSbom(script.toString(), dir.resolve("work"), Duration.ofSeconds(2), 1L << 30)
                .sbomOf(repository, image, null, null))
                .isInstanceOf(HardeningException.class).hasMessageContaining("did not finish within");
        long child = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcessHandle.of(child).map(h -> h.onExit().completeOnTimeout(h, 30, TimeUnit.SECONDS).join().isAlive()).orElse(false))
                .as("the generator's child process is stopped too").isFalse();
        assertThat(Files.list(dir.resolve("work"))).isEmpty();
    }

    private Path script(String name, String body) throws Exception {
        Path script = dir.resolve(name + ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
