# METADATA
# title: Signed by a trusted identity or key
# description: >-
#   The image digest must carry at least settings.signature.minimum_verified signatures that
#   verified against the trust configuration (cosign key-based or keyless, Sigstore bundles).
#   input.signatures lists verified signatures only; rejected ones are in input.rejected. When
#   settings.signature.allowed_signers is not empty, a signer must also match one of its glob
#   patterns (on the certificate identity or on the key id).
# custom:
#   id: GH-SIGNED
#   severity: critical
package gatehouse.policies.signature

import data.gatehouse.lib

settings := data.gatehouse.settings.signature

trusted contains s if {
	some s in input.signatures
	allowed_signer(s)
}

allowed_signer(_) if count(settings.allowed_signers) == 0

allowed_signer(s) if {
	some pattern in settings.allowed_signers
	glob.match(pattern, [], s.signer.identity)
}

allowed_signer(s) if {
	some pattern in settings.allowed_signers
	glob.match(pattern, [], s.signer.key_id)
}

rejected_reasons := [r.reason | some r in input.rejected; r.kind == "signature"]

rejected_note := sprintf(" (rejected: %s)", [concat("; ", rejected_reasons)]) if {
	count(rejected_reasons) > 0
} else := ""

deny contains lib.violation("GH-SIGNED", "critical", msg, "/signatures") if {
	settings.required
	count(trusted) < settings.minimum_verified
	msg := sprintf("image is not signed by a trusted identity or key: %d trusted signature(s), %d required%s", [
		count(trusted), settings.minimum_verified, rejected_note,
	])
}
