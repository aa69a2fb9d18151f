# METADATA
# title: Helm charts reference only passing images
# description: >-
#   For a Helm chart stored as an OCI artifact, every image the chart references was verified
#   by the same pipeline (input.helm.images, each with its own decision); any image that was
#   denied, or could not be verified, denies the chart.
# custom:
#   id: GH-HELM-IMAGES
#   severity: high
package gatehouse.policies.helm

import data.gatehouse.lib

deny contains lib.violation("GH-HELM-IMAGES", "high", msg, sprintf("/helm/images/%d", [i])) if {
	data.gatehouse.settings.helm.require_images_pass
	some i, image in input.helm.images
	not image.allow
	msg := sprintf("chart references image %s, which does not pass: %s", [image.reference, concat("; ", image.reasons)])
}
