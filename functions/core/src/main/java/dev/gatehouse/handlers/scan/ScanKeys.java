package dev.gatehouse.handlers.scan;

import dev.gatehouse.oci.Digest;
import dev.gatehouse.ports.StoredKeys;

/**
 * Where a scan keeps its files in the blob store, all under {@code reports/<scan id>/}: the plan,
 * one result per image, one record per finished batch, the summary JSON and the HTML page. Each
 * scan's summary counts are also kept under {@code reports/history/} for the trend charts.
 */
public final class ScanKeys {

    public static final String ROOT = "reports/";
    public static final String HISTORY = ROOT + "history/";

    private ScanKeys() {}

    public static String prefix(String scanId) {
        return ROOT + ScanId.check(scanId) + "/";
    }

    public static String plan(String scanId) {
        return prefix(scanId) + "plan.json";
    }

    public static String batches(String scanId) {
        return prefix(scanId) + "batches/";
    }

    public static String batch(String scanId, int batch) {
        return batches(scanId) + String.format("%06d.json", batch);
    }

    public static String summary(String scanId) {
        return prefix(scanId) + "summary.json";
    }

    public static String html(String scanId) {
        return prefix(scanId) + "index.html";
    }

    public static String history(String scanId) {
        return HISTORY + ScanId.check(scanId) + ".json";
    }

    /**
     * Whether {@code key} is one of a scan's reports, the files people and tools download and check:
     * the per-image results, the summary JSON and the HTML page (signed when a signing key is
     * configured). The plan, batch records and history are the scan's working state.
     */
    public static boolean isReport(String key) {
        if (!key.startsWith(ROOT) || key.startsWith(HISTORY)) {
            return false;
        }
        String inScan = key.substring(key.indexOf('/', ROOT.length()) + 1);
        return inScan.equals("summary.json") || inScan.equals("index.html") || inScan.startsWith("images/") && inScan.endsWith(".json");
    }

    /** {@code reports/<scan>/images/<host>/<repository>/<alg>-<hex>.json}; a port's colon becomes {@code _}. */
    public static String image(String scanId, String registry, String repository, Digest digest) {
        return StoredKeys.blobKey(prefix(scanId) + "images/" + registry.replace(':', '_') + "/" + repository + "/"
                + digest.tagForm() + ".json");
    }
}
