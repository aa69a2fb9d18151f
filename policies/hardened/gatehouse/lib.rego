# METADATA
# title: Shared helpers for the hardened policies
# description: Builds violation objects and reads the evaluation clock.
package gatehouse.lib

# A violation as every policy reports it: the policy id, its severity, a message for people and a
# JSON pointer into the input document that names the evidence.
violation(id, severity, message, evidence) := {
	"policy": id,
	"severity": severity,
	"message": message,
	"evidence": evidence,
}

# The evaluation time comes from the input, never from the wall clock, so decisions replay.
now_ns := time.parse_rfc3339_ns(input.context.now)

day_ns := ((24 * 60) * 60) * 1000000000

# Whole days between an RFC 3339 timestamp and the evaluation time.
days_since(ts) := floor((now_ns - time.parse_rfc3339_ns(ts)) / day_ns)

label(name) := input.image.config.labels[name]

annotation(name) := input.image.annotations[name]

# Helm charts stored as OCI artifacts are not container images: rules about what runs in a
# container (user, shell, base image) skip them, and provenance and SBOM are required of charts
# only when settings.helm says so.
helm_chart_config := "application/vnd.cncf.helm.config.v1+json"

is_helm_chart if input.image.artifact_type == helm_chart_config
