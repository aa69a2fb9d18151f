# METADATA
# title: SBOM attached, signed and parseable
# description: >-
#   The image must carry an SBOM (CycloneDX or SPDX) that parsed into an inventory; with
#   settings.sbom.require_signed it must have come in a verified attestation. input.sbom is null
#   when no SBOM was found or none could be parsed (the reason is in input.rejected).
# custom:
#   id: GH-SBOM
#   severity: high
package gatehouse.policies.sbom

import data.gatehouse.lib

settings := data.gatehouse.settings.sbom

# Absent evidence is null in the input; undefined here.
sbom := input.sbom if input.sbom != null

rejected_reasons := [r.reason | some r in input.rejected; r.kind == "sbom"]

rejected_note := sprintf(" (rejected: %s)", [concat("; ", rejected_reasons)]) if {
	count(rejected_reasons) > 0
} else := ""

required if {
	settings.required
	not lib.is_helm_chart
}

required if data.gatehouse.settings.helm.require_sbom

deny contains lib.violation("GH-SBOM", "high", concat("", ["no SBOM attached", rejected_note]), "/sbom") if {
	required
	not sbom
}

deny contains lib.violation("GH-SBOM", "high", "the SBOM is not signed by a trusted identity or key", "/sbom/signed") if {
	sbom
	settings.require_signed
	not sbom.signed
}
