# METADATA
# title: Test fixtures
# description: A compliant policy input and helpers that derive defective variants from it.
package gatehouse.test.fixtures

digest := "sha256:4d31ef1474c0bea3e0b41dd9c8b7f6e8c0b4f5f6a2e0c8b5a7e3f1d2c4b6a8e0"

compliant := {
	"schema_version": "v1",
	"context": {"now": "2026-11-26T12:00:00Z", "trigger": "cli"},
	"image": {
		"reference": "registry.example/acme/app:1.0",
		"registry": "registry.example",
		"repository": "acme/app",
		"tag": "1.0",
		"digest": digest,
		"media_type": "application/vnd.oci.image.manifest.v1+json",
		"platform": {"os": "linux", "architecture": "amd64"},
		"config": {
			"user": "65532:65532",
			"entrypoint": ["/app"],
			"env": {"PATH": "/usr/bin"},
			"labels": {},
			"exposed_ports": ["8080/tcp"],
		},
		"annotations": {
			"org.opencontainers.image.base.name": "dhi.io/static:20250101",
			"org.opencontainers.image.base.digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
		},
		"base": {
			"name": "dhi.io/static:20250101",
			"digest": "sha256:1111111111111111111111111111111111111111111111111111111111111111",
		},
		"runtimes": [],
	},
	"signatures": [{
		"kind": "key",
		"source": "cosign-tag",
		"signer": {"key_id": "acme-release", "identity": "", "issuer": ""},
		"tlog": false,
	}],
	"attestations": [
		{"predicate_type": "https://slsa.dev/provenance/v1", "signer": {"key_id": "acme-release"}},
		{"predicate_type": "https://cyclonedx.org/bom", "signer": {"key_id": "acme-release"}},
	],
	"rejected": [],
	"provenance": {
		"predicate_type": "https://slsa.dev/provenance/v1",
		"builder": {"id": "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v2.1.0", "trusted": true},
		"level": 3,
		"build_type": "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
		"source": {"uri": "git+https://github.com/acme/app@refs/heads/main", "digest": {"sha1": "4d329c7588d2b5e5f2b28e1e3c2ee2c7b5e5f2b2"}},
		"resolved_dependencies": [],
	},
	"sbom": {
		"format": "cyclonedx",
		"spec_version": "1.5",
		"signed": true,
		"os": {"name": "debian", "version": "12.7"},
		"components": [
			{"name": "openssl", "version": "3.0.15-1~deb12u1", "purl": "pkg:deb/debian/openssl@3.0.15-1~deb12u1", "kind": "os", "licenses": ["Apache-2.0"]},
			{"name": "app", "version": "1.0", "purl": "pkg:golang/example.com/app@1.0", "kind": "language", "licenses": ["MIT OR Apache-2.0"]},
		],
		"facts": {"shells": [], "package_managers": [], "setuid_files": []},
	},
	"vulnerabilities": {"findings": []},
	"vex": {"documents": []},
	"helm": null,
}

finding(id, severity, fixed_since) := {
	"id": id,
	"aliases": [],
	"severity": severity,
	"package": {"purl": "pkg:deb/debian/openssl@3.0.15-1~deb12u1"},
	"fix_available": true,
	"fixed_versions": ["3.0.15-1~deb12u2"],
	"fix_available_since": fixed_since,
	"suppressed": false,
}

with_findings(findings) := object.union(compliant, {"vulnerabilities": {"findings": findings}})
