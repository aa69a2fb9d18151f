package dev.gatehouse.rebuild;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.io.Printable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessLogTest {

    @TempDir
    Path dir;

    @Test
    void aLongLogWithBytesThatAreNotUtf8GivesItsLastLineEscapedAndBounded() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        for (int i = 0; i < 100_000; i++) {
            log.writeBytes(("step " + i + " \u001b[32mok\u001b[0m\n").getBytes(StandardCharsets.UTF_8));
        }
        log.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
        log.writeBytes(("error: \u001b[31mno space left\u001b[0m " + "x".repeat(1_000) + "\n\n  \n").getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("build.log");
        Files.write(file, log.toByteArray());

        assertThat(ProcessLog.lastLine(file)).startsWith("error: \\u001b[31mno space left\\u001b[0m xxx").endsWith("...")
                .hasSize(Printable.QUOTED_ERROR_CHARS);
        assertThat(ProcessLog.tail(file, 4).lines().toList()).hasSize(4).first().isEqualTo("\ufffd\ufffd");
    }

    @Test
    void anEmptyLogSaysSo() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.log"));
        assertThat(ProcessLog.lastLine(file)).isEqualTo("no output");
        assertThat(ProcessLog.tail(file, 20)).isEmpty();
    }
}
