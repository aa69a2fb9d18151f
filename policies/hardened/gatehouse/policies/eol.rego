# METADATA
# title: Not past upstream end of life
# description: >-
#   The operating system and runtimes of the image (input.sbom.os and input.image.runtimes,
#   matched by name and version prefix against data.gatehouse.eol) must not be past their
#   upstream end-of-life date; within settings.eol.warn_days_before of it, a warning. Images with
#   extended support (the label settings.eol.extended_support_label set to "true", or a
#   repository glob in settings.eol.extended_support_images) only warn.
# custom:
#   id: GH-EOL
#   severity: high
package gatehouse.policies.eol

import data.gatehouse.lib

settings := data.gatehouse.settings.eol

products contains {"name": lower(input.sbom.os.name), "version": input.sbom.os.version}

products contains {"name": lower(r.name), "version": r.version} if some r in input.image.runtimes

# The EOL entry whose version is the given version or a dotted prefix of it (12 for 12.7).
eol_date(p) := date if {
	some cycle, date in data.gatehouse.eol[p.name]
	matches_cycle(cycle, p.version)
}

matches_cycle(cycle, version) if cycle == version

matches_cycle(cycle, version) if startswith(version, concat("", [cycle, "."]))

extended_support if lib.label(settings.extended_support_label) == "true"

extended_support if {
	some pattern in settings.extended_support_images
	glob.match(pattern, ["/"], input.image.repository)
}

past_eol contains {"product": p, "date": date} if {
	some p in products
	date := eol_date(p)
	lib.now_ns > time.parse_rfc3339_ns(concat("", [date, "T00:00:00Z"]))
}

deny contains lib.violation("GH-EOL", "high", msg, "/sbom/os") if {
	not extended_support
	some e in past_eol
	msg := sprintf("%s %s reached end of life on %s", [e.product.name, e.product.version, e.date])
}

warn contains lib.violation("GH-EOL", "medium", msg, "/sbom/os") if {
	extended_support
	some e in past_eol
	msg := sprintf("%s %s reached end of life on %s (extended support)", [e.product.name, e.product.version, e.date])
}

warn contains lib.violation("GH-EOL", "low", msg, "/sbom/os") if {
	some p in products
	date := eol_date(p)
	eol_ns := time.parse_rfc3339_ns(concat("", [date, "T00:00:00Z"]))
	lib.now_ns <= eol_ns
	eol_ns - lib.now_ns < settings.warn_days_before * lib.day_ns
	msg := sprintf("%s %s reaches end of life on %s", [p.name, p.version, date])
}
