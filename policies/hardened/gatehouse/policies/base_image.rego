# METADATA
# title: Built on an approved base image
# description: >-
#   The base image (from the org.opencontainers.image.base.name annotation or the provenance's
#   resolved dependencies, in input.image.base) must match a glob in
#   settings.base_image.approved. An image with no known base passes unless
#   settings.base_image.require_known_base is set.
# custom:
#   id: GH-BASE-IMAGE
#   severity: high
package gatehouse.policies.base_image

import data.gatehouse.lib

settings := data.gatehouse.settings.base_image

base := input.image.base.name

approved if {
	some pattern in settings.approved
	glob.match(pattern, ["/"], base)
}

approved if {
	some pattern in settings.approved
	glob.match(pattern, [], base)
}

deny contains lib.violation("GH-BASE-IMAGE", "high", msg, "/image/base/name") if {
	base
	not approved
	msg := sprintf("base image %q is not on the approved list", [base])
}

deny contains lib.violation("GH-BASE-IMAGE", "high", "the base image is unknown", "/image/base") if {
	settings.require_known_base
	not lib.is_helm_chart
	not base
}
