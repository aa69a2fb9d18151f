# METADATA
# title: Fixable vulnerabilities are fixed within their SLA
# description: >-
#   A finding that has a fix and was not suppressed by a trusted VEX statement denies once it is
#   older than its SLA: settings.vulnerabilities.sla_days by severity (7 days for critical and
#   high, 30 for the others), and settings.vulnerabilities.kev_sla_days (1 day) for entries of the
#   CISA Known Exploited Vulnerabilities list in data.gatehouse.kev. Age counts from the day the
#   fix became available (fix_available_since), else from publication, else from first sight.
#   Findings without a fix are reported as warnings, and deny only with deny_without_fix.
#   Ids in settings.vulnerabilities.ignore are skipped.
# custom:
#   id: GH-VULN-SLA
#   severity: critical
package gatehouse.policies.vulnerabilities

import data.gatehouse.lib

settings := data.gatehouse.settings.vulnerabilities

kev := {id | some id in data.gatehouse.kev}

ignored := {id | some id in settings.ignore}

# Findings that count: not suppressed by VEX, not ignored by the operator.
open_findings contains i if {
	some i, f in input.vulnerabilities.findings
	not f.suppressed
	not ignored[f.id]
}

is_kev(f) if kev[f.id]

is_kev(f) if {
	some alias in f.aliases
	kev[alias]
}

sla_days(f) := settings.kev_sla_days if {
	is_kev(f)
} else := days if {
	days := settings.sla_days[lower(f.severity)]
} else := settings.sla_days.unknown

since(f) := f.fix_available_since if {
	is_string(f.fix_available_since)
} else := f.published if {
	is_string(f.published)
} else := f.first_seen

deny contains lib.violation("GH-VULN-SLA", lower(f.severity), msg, sprintf("/vulnerabilities/findings/%d", [i])) if {
	some i in open_findings
	f := input.vulnerabilities.findings[i]
	f.fix_available
	age := lib.days_since(since(f))
	limit := sla_days(f)
	age > limit
	msg := sprintf("%s%s (%s) in %s: fix available (%s) for %d days, SLA is %d days", [
		f.id, kev_note(f), lower(f.severity), f.package.purl, concat(", ", f.fixed_versions), age, limit,
	])
}

deny contains lib.violation("GH-VULN-SLA", lower(f.severity), msg, sprintf("/vulnerabilities/findings/%d", [i])) if {
	settings.deny_without_fix
	some i in open_findings
	f := input.vulnerabilities.findings[i]
	not f.fix_available
	msg := sprintf("%s (%s) in %s has no fix", [f.id, lower(f.severity), f.package.purl])
}

warn contains lib.violation("GH-VULN-SLA", lower(f.severity), msg, sprintf("/vulnerabilities/findings/%d", [i])) if {
	not settings.deny_without_fix
	some i in open_findings
	f := input.vulnerabilities.findings[i]
	not f.fix_available
	lower(f.severity) in {"critical", "high"}
	msg := sprintf("%s%s (%s) in %s has no fix yet", [f.id, kev_note(f), lower(f.severity), f.package.purl])
}

kev_note(f) := " [KEV]" if {
	is_kev(f)
} else := ""
