package dev.gatehouse.aws;

import dev.gatehouse.ports.StoreException;
import dev.gatehouse.ports.WorkQueue;
import dev.gatehouse.ports.local.InMemoryWorkQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * A work queue on SQS. Sends go out in batches of at most 10 messages and 256 KiB; entries SQS
 * fails for its own reasons are retried once, then the send fails naming them.
 */
public final class SqsWorkQueue implements WorkQueue {

    private static final int MAX_BATCH_ENTRIES = 10;
    private static final int MAX_BATCH_BYTES = 256 * 1024;

    private final SqsClient client;
    private final String queueUrl;

    public SqsWorkQueue(SqsClient client, String queueUrl) {
        this.client = client;
        this.queueUrl = queueUrl;
    }

    @Override
    public void sendBatch(List<String> bodies) {
        for (String body : bodies) {
            InMemoryWorkQueue.checkBody(body);
        }
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
        int batchBytes = 0;
        for (int i = 0; i < bodies.size(); i++) {
            String body = bodies.get(i);
            int size = body.getBytes(StandardCharsets.UTF_8).length;
            if (batch.size() == MAX_BATCH_ENTRIES || batchBytes + size > MAX_BATCH_BYTES) {
                send(batch);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(body).build());
            batchBytes += size;
        }
        if (!batch.isEmpty()) {
            send(batch);
        }
    }

    private void send(List<SendMessageBatchRequestEntry> entries) {
        List<SendMessageBatchRequestEntry> pending = entries;
        for (int attempt = 1; ; attempt++) {
            List<SendMessageBatchRequestEntry> toSend = pending;
            SendMessageBatchResponse response;
            try {
                response = client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(toSend));
            } catch (SdkException e) {
                throw new StoreException("WorkQueue.sendBatch", queueUrl + ": " + e.getMessage(), e);
            }
            if (!response.hasFailed() || response.failed().isEmpty()) {
                return;
            }
            boolean retryable = response.failed().stream().noneMatch(f -> Boolean.TRUE.equals(f.senderFault()));
            if (attempt == 2 || !retryable) {
                throw new StoreException("WorkQueue.sendBatch", queueUrl + ": messages not sent: "
                        + response.failed().stream().map(SqsWorkQueue::describe).collect(Collectors.joining("; ")));
            }
            List<String> failedIds = response.failed().stream().map(BatchResultErrorEntry::id).toList();
            pending = toSend.stream().filter(e -> failedIds.contains(e.id())).toList();
        }
    }

    @Override
    public List<Message> receive(int max, Duration wait, Duration visibilityTimeout) {
        InMemoryWorkQueue.checkReceive(max, wait, visibilityTimeout);
        try {
            return client.receiveMessage(b -> b.queueUrl(queueUrl)
                            .maxNumberOfMessages(max)
                            .waitTimeSeconds((int) wait.toSeconds())
                            .visibilityTimeout((int) visibilityTimeout.toSeconds()))
                    .messages().stream()
                    .map(m -> new Message(m.messageId(), m.body(), m.receiptHandle()))
                    .toList();
        } catch (SdkException e) {
            throw new StoreException("WorkQueue.receive", queueUrl + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(Message message) {
        try {
            client.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        } catch (ReceiptHandleIsInvalidException e) {
            return;
        } catch (SdkException e) {
            throw new StoreException("WorkQueue.delete", queueUrl + ": message " + message.id() + ": " + e.getMessage(), e);
        }
    }

    private static String describe(BatchResultErrorEntry failure) {
        return "message " + failure.id() + ": " + failure.code() + " " + failure.message();
    }
}
