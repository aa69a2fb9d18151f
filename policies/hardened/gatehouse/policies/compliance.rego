# METADATA
# title: Compliance claims carry their attestation
# description: >-
#   An image that claims FIPS or STIG compliance, through the label
#   settings.compliance.claim_label (a comma-separated list such as "fips,stig") or through any
#   attestation of one of the kind's predicate types, must carry a verified attestation of a
#   predicate type listed for that kind in settings.compliance.predicate_types.
# custom:
#   id: GH-COMPLIANCE
#   severity: high
package gatehouse.policies.compliance

import data.gatehouse.lib

settings := data.gatehouse.settings.compliance

claimed contains lower(trim_space(kind)) if {
	some kind in split(lib.label(settings.claim_label), ",")
	trim_space(kind) != ""
}

claimed contains kind if {
	some kind, types in settings.predicate_types
	some r in input.rejected
	r.predicate_type in types
}

attested contains kind if {
	some kind, types in settings.predicate_types
	some a in input.attestations
	a.predicate_type in types
}

deny contains lib.violation("GH-COMPLIANCE", "high", msg, "/attestations") if {
	some kind in claimed
	not attested[kind]
	msg := sprintf("image claims %s compliance but carries no verified %s attestation", [upper(kind), upper(kind)])
}
