package assets

import "embed"

// Inspect holds the data files behind inspections, editable by an office
// without a release: checklist templates chosen by venue category
// (checklists/), the sanction rule table with the signers' caps (rules/)
// and the public-holiday calendar used for working-day deadlines
// (holidays/). Package qrward/data/inspect loads and validates them.
//
//go:embed checklists/*.json rules/*.json holidays/*.json
var Inspect embed.FS
