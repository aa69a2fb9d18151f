# METADATA
# title: Runs as a non-root user
# description: >-
#   The image config must name a user other than root: an empty user, "root", "0" or a "0:"/
#   "root:" user:group pair run as root. settings.user.allow_root turns the check off.
# custom:
#   id: GH-NONROOT
#   severity: high
package gatehouse.policies.nonroot

import data.gatehouse.lib

user := object.get(input.image.config, "user", "")

user_name := split(user, ":")[0]

runs_as_root if user_name == ""

runs_as_root if user_name in {"root", "0"}

deny contains lib.violation("GH-NONROOT", "high", msg, "/image/config/user") if {
	not data.gatehouse.settings.user.allow_root
	not lib.is_helm_chart
	runs_as_root
	msg := sprintf("image runs as root (config user %q)", [user])
}
