package dev.gatehouse.lambda.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.handlers.JsonLog;
import dev.gatehouse.handlers.scan.ScanBatch;
import dev.gatehouse.handlers.scan.ScanPlan;
import dev.gatehouse.handlers.scan.ScanPlanner;
import dev.gatehouse.handlers.scan.ScanWorker;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.UntrustedJson;
import dev.gatehouse.ports.ImageEnumerator;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.util.List;
import java.util.Map;

/**
 * {@code compliance-scan}: on the schedule (an EventBridge scheduled event, whose content does not
 * matter), lists the registry and enqueues the scan's batches on SQS. {@code compliance-scan-worker}:
 * an SQS event batch, one scan batch per message; messages that could not be processed are returned
 * in SQS's partial-batch response ({@code batchItemFailures}), so only they are delivered again and,
 * after the queue's maxReceiveCount, land in the dead-letter queue.
 */
public class ComplianceScanFunctions {

    @Inject
    Provider<ScanPlanner> planner;

    @Inject
    Provider<ScanWorker> worker;

    @Inject
    ScanConfig config;

    @Inject
    JsonLog log;

    @Funq("compliance-scan")
    public JsonNode complianceScan(JsonNode scheduledEvent) throws ImageEnumerator.EnumerationException {
        ScanPlan plan = planner.get().plan(new ImageEnumerator.Scope(config.repositories().orElse(List.of()), config.maxImages()));
        ObjectNode out = UntrustedJson.mapper().createObjectNode();
        out.put("scan_id", plan.scanId());
        out.put("source", plan.source());
        out.put("images", plan.images());
        out.put("batches", plan.batches());
        out.put("unlisted", plan.unlisted().size());
        out.put("report_prefix", plan.reportPrefix());
        out.put("summary", plan.summaryKey());
        out.put("html", plan.htmlKey());
        return out;
    }

    @Funq("compliance-scan-worker")
    public JsonNode complianceScanWorker(JsonNode sqsEvent) {
        ObjectNode response = UntrustedJson.mapper().createObjectNode();
        ArrayNode failures = response.putArray("batchItemFailures");
        for (JsonNode record : sqsEvent == null ? UntrustedJson.mapper().createArrayNode() : sqsEvent.path("Records")) {
            String messageId = record.path("messageId").asText("");
            try {
                ScanWorker.BatchOutcome outcome = worker.get().process(ScanBatch.parse(record.path("body").asText("")));
                log.info("scan batch done", Map.of("scan_id", outcome.scanId(), "batch", outcome.batch(), "images", outcome.images(),
                        "errors", outcome.errors(), "completed_scan", outcome.completedScan()));
            } catch (MalformedInputException | RuntimeException e) {
                log.error("scan batch failed", Map.of("message_id", messageId, "error", String.valueOf(e.getMessage())));
                failures.addObject().put("itemIdentifier", messageId);
            }
        }
        return response;
    }
}
