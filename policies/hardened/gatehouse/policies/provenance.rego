# METADATA
# title: SLSA provenance from a trusted builder at the required build level
# description: >-
#   The image must carry verified SLSA provenance (v0.2 or v1) whose builder is trusted (by the
#   verifier's trusted-builders list, and by settings.provenance.allowed_builders when that is
#   not empty) and whose SLSA Build level is at least settings.provenance.minimum_level
#   (default 3). input.provenance is null when no provenance verified.
# custom:
#   id: GH-PROVENANCE
#   severity: high
package gatehouse.policies.provenance

import data.gatehouse.lib

settings := data.gatehouse.settings.provenance

# Absent evidence is null in the input; undefined here, so `not provenance` reads naturally.
provenance := input.provenance if input.provenance != null

rejected_reasons := [r.reason | some r in input.rejected; r.kind == "provenance"]

rejected_note := sprintf(" (rejected: %s)", [concat("; ", rejected_reasons)]) if {
	count(rejected_reasons) > 0
} else := ""

required if {
	settings.required
	not lib.is_helm_chart
}

required if data.gatehouse.settings.helm.require_provenance

deny contains lib.violation("GH-PROVENANCE", "high", concat("", ["no verified SLSA provenance", rejected_note]), "/provenance") if {
	required
	not provenance
}

deny contains lib.violation("GH-PROVENANCE", "high", msg, "/provenance/builder") if {
	provenance
	not provenance.builder.trusted
	msg := sprintf("provenance builder %q is not a trusted builder", [provenance.builder.id])
}

deny contains lib.violation("GH-PROVENANCE", "high", msg, "/provenance/builder") if {
	provenance
	count(settings.allowed_builders) > 0
	not allowed_builder
	msg := sprintf("provenance builder %q is not in the allowed builders", [provenance.builder.id])
}

allowed_builder if {
	some pattern in settings.allowed_builders
	glob.match(pattern, [], provenance.builder.id)
}

deny contains lib.violation("GH-PROVENANCE", "high", msg, "/provenance/level") if {
	provenance
	provenance.builder.trusted
	provenance.level < settings.minimum_level
	msg := sprintf("provenance is SLSA Build L%d, L%d required", [provenance.level, settings.minimum_level])
}

deny contains lib.violation("GH-PROVENANCE", "high", "provenance names no source repository", "/provenance/source") if {
	provenance
	settings.require_source
	not provenance.source.uri
}
