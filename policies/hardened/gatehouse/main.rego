# METADATA
# title: Gatehouse decision
# description: >-
#   Collects the deny and warn sets of every package under data.gatehouse.policies into one
#   decision. The pipeline queries data.gatehouse.main.decision. Sets iterate in Rego's value
#   order, so the lists are deterministic.
package gatehouse.main

deny contains v if {
	some name
	some v in data.gatehouse.policies[name].deny
}

warn contains v if {
	some name
	some v in data.gatehouse.policies[name].warn
}

decision := {
	"allow": count(deny) == 0,
	"deny": [v | some v in deny],
	"warn": [v | some v in warn],
}
