package dev.gatehouse.lambda.sla;

import dev.gatehouse.aws.DynamoDbFindingLedger;
import dev.gatehouse.aws.GatehouseTable;
import dev.gatehouse.lambda.AwsPortProducers;
import dev.gatehouse.lambda.GatehouseConfig;
import dev.gatehouse.policy.PolicyException;
import dev.gatehouse.sla.LedgerListener;
import dev.gatehouse.sla.SlaRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The remediation-SLA ledger listener: every verification the push handler and the scan worker run
 * updates the finding ledger in the results table (docs/remediation-sla.md). KEV flags are recorded
 * with the embedded hardened bundle's list; {@code gatehouse sla report} re-evaluates with the bundle it is given.
 */
@ApplicationScoped
public class SlaProducers {

    @Produces
    @Singleton
    LedgerListener slaLedger(GatehouseConfig config, DynamoDbClient client) throws PolicyException {
        GatehouseTable table = new GatehouseTable(client, AwsPortProducers.required(config.resultsTable(), "GATEHOUSE_RESULTS_TABLE"));
        return new LedgerListener(new DynamoDbFindingLedger(table), SlaRules.hardened());
    }
}
