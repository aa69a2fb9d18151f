package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.ports.local.DirectoryBlobStore;
import dev.gatehouse.signing.LocalKeySigner;
import dev.gatehouse.signing.ReportSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyReportCommandTest {

    @TempDir
    Path dir;

    @Test
    void reportSignedIntoABlobStoreVerifiesWithTheExportedKeyAndAnEditDoesNot() throws Exception {
        LocalKeySigner signer = LocalKeySigner.generate(null);
        Path store = dir.resolve("store");
        byte[] html = "<html><body>200 images, 3 denied</body></html>".getBytes(StandardCharsets.UTF_8);
        new ReportSigner(signer).signing(new DirectoryBlobStore(store), key -> true).put("scans/s-1/index.html", html);
        Path privateKey = Files.writeString(dir.resolve("gatehouse.key"), signer.privateKeyPem());
        Path key = Files.writeString(dir.resolve("gatehouse.pub"), CliRun.of("keys", "export", "--key", privateKey.toString()).out());
        Path report = store.resolve("scans/s-1/index.html");

        CliRun ok = CliRun.of("verify-report", report.toString(), "--key", key.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("PASSED");

        Files.writeString(report, "<html><body>200 images, 0 denied</body></html>");
        CliRun edited = CliRun.of("verify-report", report.toString(), "--signature", report + ".sig", "--key", key.toString());
        assertThat(edited.exitCode()).isEqualTo(VerifyReportCommand.EXIT_NOT_VERIFIED);
        assertThat(edited.firstErrorLine()).startsWith("invalid signature: ");

        CliRun missing = CliRun.of("verify-report", dir.resolve("absent.html").toString(), "--key", key.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.firstErrorLine()).contains("absent.html");
    }
}
