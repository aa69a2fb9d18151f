# METADATA
# title: No shell or package manager in runtime images
# description: >-
#   Runtime variants must not ship a shell or a package manager, as the SBOM inventory reports
#   them. Images whose label settings.minimal.variant_label has a value in
#   settings.minimal.exempt_variants (default "dev") are exempt, like the -dev variants of
#   hardened images.
# custom:
#   id: GH-MINIMAL
#   severity: medium
package gatehouse.policies.minimal

import data.gatehouse.lib

settings := data.gatehouse.settings.minimal

exempt if lib.label(settings.variant_label) in settings.exempt_variants

exempt if lib.is_helm_chart

deny contains lib.violation("GH-MINIMAL", "medium", msg, "/sbom/facts/shells") if {
	settings.deny_shell
	not exempt
	shells := input.sbom.facts.shells
	count(shells) > 0
	msg := sprintf("runtime image contains a shell: %s", [concat(", ", shells)])
}

deny contains lib.violation("GH-MINIMAL", "medium", msg, "/sbom/facts/package_managers") if {
	settings.deny_package_manager
	not exempt
	managers := input.sbom.facts.package_managers
	count(managers) > 0
	msg := sprintf("runtime image contains a package manager: %s", [concat(", ", managers)])
}
