# METADATA
# title: No component under a denied license
# description: >-
#   No SBOM component may carry a license in settings.licenses.denied (AGPL by default), whether
#   as an SPDX id or inside an SPDX license expression.
# custom:
#   id: GH-LICENSE
#   severity: high
package gatehouse.policies.licenses

import data.gatehouse.lib

denied := {l | some l in data.gatehouse.settings.licenses.denied}

# Splits "MIT OR (AGPL-3.0-only WITH x)" into its license ids.
ids(expression) := {id |
	some token in regex.split(`[\s()]+`, expression)
	token != ""
	not upper(token) in {"AND", "OR", "WITH"}
	id := trim_suffix(token, "+")
}

deny contains lib.violation("GH-LICENSE", "high", msg, sprintf("/sbom/components/%d/licenses", [i])) if {
	some i, c in input.sbom.components
	some expression in c.licenses
	some id in ids(expression)
	denied[id]
	msg := sprintf("component %s is licensed under %s, which is denied", [object.get(c, "purl", c.name), id])
}
