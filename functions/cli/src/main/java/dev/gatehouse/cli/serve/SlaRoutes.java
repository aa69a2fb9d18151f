package dev.gatehouse.cli.serve;

import dev.gatehouse.handlers.VerificationListener;
import dev.gatehouse.ports.FindingLedger;
import dev.gatehouse.ports.local.InMemoryFindingLedger;
import dev.gatehouse.sla.LedgerListener;
import dev.gatehouse.sla.SlaReport;
import dev.gatehouse.sla.SlaReportFormat;
import dev.gatehouse.sla.SlaRules;
import java.util.List;

/**
 * The remediation SLA on {@code gatehouse serve}: a finding ledger in memory (the server's DynamoDB
 * table with {@code --dynamodb-endpoint}), fed by every
 * verification the server runs, with the SLA rules of the bundle it serves; {@code GET /sla/report}
 * answers the report as JSON ({@code ?format=text} for people).
 */
public final class SlaRoutes implements ServeModule {

    private FindingLedger ledger;
    private SlaRules rules;

    @Override
    public List<VerificationListener> listeners(ServeContext context) throws Exception {
        return List.of(new LedgerListener(ledger(context), rules(context)));
    }

    @Override
    public List<Route> routes(ServeContext context) throws Exception {
        SlaRules slaRules = rules(context);
        return List.of(Route.get("/sla/report", request -> {
            SlaReport report = SlaReport.of(ledger(context), slaRules, context.clock());
            return "format=text".equals(request.query()) ? ServeResponse.text(200, SlaReportFormat.text(report))
                    : ServeResponse.json(200, SlaReportFormat.json(report));
        }).authenticatedBy(context.webhookSecret()));
    }

    /** The server's DynamoDB ledger with {@code --dynamodb-endpoint}, else one in memory. */
    private synchronized FindingLedger ledger(ServeContext context) {
        if (ledger == null) {
            ledger = context.findings() != null ? context.findings() : new InMemoryFindingLedger();
        }
        return ledger;
    }

    private synchronized SlaRules rules(ServeContext context) throws Exception {
        if (rules == null) {
            rules = SlaRules.of(context.pipeline().policy());
        }
        return rules;
    }
}
