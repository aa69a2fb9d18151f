# METADATA
# title: Tests of the hardened policies
package gatehouse.test.policies

import data.gatehouse.main
import data.gatehouse.test.fixtures

compliant := fixtures.compliant

denied_by(input_doc) := {v.policy | some v in main.deny with input as input_doc}

test_compliant_image_is_allowed if {
	main.decision.allow with input as compliant
	count(main.decision.warn) == 0 with input as compliant
}

test_unsigned_image_is_denied if {
	denied_by(object.union(compliant, {"signatures": []})) == {"GH-SIGNED"}
}

test_rejected_signature_reason_is_reported if {
	doc := object.union(compliant, {"signatures": [], "rejected": [{"kind": "signature", "reason": "signed by an untrusted key"}]})
	some v in main.deny with input as doc
	v.policy == "GH-SIGNED"
	contains(v.message, "signed by an untrusted key")
}

test_allowed_signers_restrict_trusted_keys if {
	denied_by(compliant) == {"GH-SIGNED"} with data.gatehouse.settings.signature.allowed_signers as ["other-*"]
	denied_by(compliant) == set() with data.gatehouse.settings.signature.allowed_signers as ["acme-*"]
}

test_missing_provenance_is_denied if {
	denied_by(object.union(compliant, {"provenance": null})) == {"GH-PROVENANCE"}
}

test_untrusted_builder_is_denied if {
	doc := json.patch(compliant, [{"op": "replace", "path": "/provenance/builder/trusted", "value": false}])
	denied_by(doc) == {"GH-PROVENANCE"}
}

test_level_below_minimum_is_denied if {
	doc := json.patch(compliant, [{"op": "replace", "path": "/provenance/level", "value": 2}])
	denied_by(doc) == {"GH-PROVENANCE"}
	denied_by(doc) == set() with data.gatehouse.settings.provenance.minimum_level as 2
}

test_missing_sbom_is_denied if {
	denied_by(object.union(compliant, {"sbom": null})) == {"GH-SBOM"}
}

test_unsigned_sbom_is_denied if {
	doc := json.patch(compliant, [{"op": "replace", "path": "/sbom/signed", "value": false}])
	denied_by(doc) == {"GH-SBOM"}
}

test_critical_fix_older_than_seven_days_is_denied if {
	doc := fixtures.with_findings([fixtures.finding("CVE-2026-0001", "Critical", "2026-11-10T00:00:00Z")])
	denied_by(doc) == {"GH-VULN-SLA"}
}

test_critical_fix_within_seven_days_is_allowed if {
	doc := fixtures.with_findings([fixtures.finding("CVE-2026-0001", "critical", "2026-11-22T00:00:00Z")])
	denied_by(doc) == set()
}

test_medium_fix_has_thirty_days if {
	recent := fixtures.with_findings([fixtures.finding("CVE-2026-0002", "medium", "2026-11-10T00:00:00Z")])
	denied_by(recent) == set()
	old := fixtures.with_findings([fixtures.finding("CVE-2026-0002", "medium", "2026-10-01T00:00:00Z")])
	denied_by(old) == {"GH-VULN-SLA"}
}

test_kev_entry_has_one_day if {
	doc := fixtures.with_findings([fixtures.finding("CVE-2026-0003", "medium", "2026-11-24T00:00:00Z")])
	denied_by(doc) == set()
	denied_by(doc) == {"GH-VULN-SLA"} with data.gatehouse.kev as ["CVE-2026-0003"]
}

test_vex_suppressed_finding_is_allowed if {
	f := object.union(fixtures.finding("CVE-2026-0001", "critical", "2026-01-01T00:00:00Z"), {"suppressed": true})
	denied_by(fixtures.with_findings([f])) == set()
}

test_finding_without_fix_warns_but_allows if {
	f := object.union(fixtures.finding("CVE-2026-0004", "high", "2026-01-01T00:00:00Z"), {"fix_available": false, "fixed_versions": []})
	doc := fixtures.with_findings([f])
	main.decision.allow with input as doc
	count(main.decision.warn) == 1 with input as doc
	denied_by(doc) == {"GH-VULN-SLA"} with data.gatehouse.settings.vulnerabilities.deny_without_fix as true
}

test_root_user_is_denied if {
	every user in ["", "root", "0", "0:0", "root:wheel"] {
		doc := json.patch(compliant, [{"op": "replace", "path": "/image/config/user", "value": user}])
		denied_by(doc) == {"GH-NONROOT"}
	}
}

test_shell_in_runtime_image_is_denied if {
	doc := json.patch(compliant, [{"op": "replace", "path": "/sbom/facts/shells", "value": ["/bin/sh"]}])
	denied_by(doc) == {"GH-MINIMAL"}
}

test_dev_variant_may_have_shell_and_package_manager if {
	doc := json.patch(compliant, [
		{"op": "replace", "path": "/sbom/facts/shells", "value": ["/bin/bash"]},
		{"op": "replace", "path": "/sbom/facts/package_managers", "value": ["apt"]},
		{"op": "add", "path": "/image/config/labels/dev.gatehouse.image.variant", "value": "dev"},
	])
	denied_by(doc) == set()
}

test_agpl_component_is_denied if {
	doc := json.patch(compliant, [{"op": "add", "path": "/sbom/components/-", "value": {"name": "ghost", "purl": "pkg:npm/ghost@5.0.0", "licenses": ["MIT AND AGPL-3.0-or-later"]}}])
	denied_by(doc) == {"GH-LICENSE"}
}

test_unapproved_base_is_denied if {
	doc := json.patch(compliant, [{"op": "replace", "path": "/image/base/name", "value": "docker.io/library/ubuntu:22.04"}])
	denied_by(doc) == {"GH-BASE-IMAGE"}
}

test_end_of_life_os_is_denied_unless_extended_support if {
	doc := json.patch(compliant, [{"op": "replace", "path": "/sbom/os", "value": {"name": "debian", "version": "10.13"}}])
	denied_by(doc) == {"GH-EOL"}
	supported := json.patch(doc, [{"op": "add", "path": "/image/config/labels/dev.gatehouse.image.extended-support", "value": "true"}])
	denied_by(supported) == set()
	count(main.warn) == 1 with input as supported
}

test_fips_claim_without_attestation_is_denied if {
	doc := json.patch(compliant, [{"op": "add", "path": "/image/config/labels/dev.gatehouse.image.compliance", "value": "fips"}])
	denied_by(doc) == {"GH-COMPLIANCE"}
	attested := json.patch(doc, [{"op": "add", "path": "/attestations/-", "value": {"predicate_type": "https://docker.com/dhi/fips/v0.1"}}])
	denied_by(attested) == set()
}

chart := object.union(compliant, {
	"image": object.union(compliant.image, {
		"artifact_type": "application/vnd.cncf.helm.config.v1+json",
		"config": {"user": "", "entrypoint": [], "env": {}, "labels": {}, "exposed_ports": []},
		"base": null,
	}),
	"provenance": null,
	"sbom": null,
	"helm": {"chart": {"name": "app", "version": "1.0.0"}, "images": [
		{"reference": "registry.example/acme/app:1.0", "digest": "sha256:aa", "allow": true, "reasons": []},
	]},
})

test_signed_helm_chart_whose_images_pass_is_allowed_without_container_rules if {
	denied_by(chart) == set()
}

test_helm_chart_provenance_is_required_when_configured if {
	denied_by(chart) == {"GH-PROVENANCE"} with data.gatehouse.settings.helm.require_provenance as true
}

test_unsigned_helm_chart_is_denied if {
	denied_by(object.union(chart, {"signatures": []})) == {"GH-SIGNED"}
}

test_helm_chart_with_failing_image_is_denied if {
	doc := object.union(compliant, {"helm": {"images": [
		{"reference": "registry.example/acme/app@sha256:aa", "allow": true, "reasons": []},
		{"reference": "registry.example/acme/db@sha256:bb", "allow": false, "reasons": ["image runs as root"]},
	]}})
	denied_by(doc) == {"GH-HELM-IMAGES"}
}
