package dev.gatehouse.handlers.scan;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Renders an HTML file with the real Chromium (Debian's {@code chromium}, installed by .ci/run) in
 * headless mode into a PNG, with everything that could reach the network switched off. Tests are
 * skipped with a message when Chromium is not installed.
 */
final class HeadlessChromium {

    private static final List<String> CANDIDATES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

    private HeadlessChromium() {}

    static Optional<Path> binary() {
        return CANDIDATES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    static BufferedImage screenshot(Path html, Path workDir, int width, int height) throws IOException, InterruptedException {
        Optional<Path> chromium = binary();
        assumeTrue(chromium.isPresent(), "chromium not installed (apt-get install chromium; .ci/run does it): screenshot test skipped");
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        Path png = workDir.resolve(html.getFileName() + ".png");
        Path log = workDir.resolve("chromium.log");
        Process process = new ProcessBuilder(chromium.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--screenshot=" + png, "--window-size=" + width + "," + height,
                html.toUri().toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "chromium did not finish within 90 s");
        } finally {
            process.destroyForcibly();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        assertTrue(Files.isRegularFile(png), "chromium wrote no screenshot: " + Files.readString(log));
        return ImageIO.read(png.toFile());
    }

    /** Pixels in the rectangle whose colour is clearly not grey (chart bars, lines and dots; text and grid are grey). */
    static int colouredPixels(BufferedImage image, int x, int y, int width, int height) {
        int count = 0;
        for (int py = y; py < Math.min(image.getHeight(), y + height); py++) {
            for (int px = x; px < Math.min(image.getWidth(), x + width); px++) {
                int rgb = image.getRGB(px, py);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Asserts that every chart cell of a scan report page has drawn marks, and that the margin beside the grid has none. */
    static void assertChartsDrawn(BufferedImage image) {
        for (int i = 0; i < ScanReportPage.CHARTS; i++) {
            int x = ScanReportPage.MARGIN + (i % ScanReportPage.COLUMNS) * ScanReportPage.CELL_WIDTH;
            int y = ScanReportPage.HEADER_HEIGHT + (i / ScanReportPage.COLUMNS) * ScanReportPage.CELL_HEIGHT;
            int coloured = colouredPixels(image, x, y, ScanReportPage.CELL_WIDTH, ScanReportPage.CELL_HEIGHT);
            assertTrue(coloured > 150, "chart " + i + " at " + x + "," + y + " has only " + coloured + " coloured pixels");
        }
        int right = ScanReportPage.MARGIN + ScanReportPage.COLUMNS * ScanReportPage.CELL_WIDTH;
        int chartsHeight = (ScanReportPage.CHARTS + ScanReportPage.COLUMNS - 1) / ScanReportPage.COLUMNS * ScanReportPage.CELL_HEIGHT;
        assertTrue(colouredPixels(image, right + 2, ScanReportPage.HEADER_HEIGHT, image.getWidth() - right - 2, chartsHeight) == 0,
                "coloured pixels outside the chart grid: the layout moved");
    }
}
