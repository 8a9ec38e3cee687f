package ui

import (
	"qrward/assets/i18n"
	"qrward/data"
)

// choice pairs a stored key with its translated label for a Select.
type choice struct{ key, label string }

func labels(cs []choice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.label
	}
	return out
}

func keyOf(cs []choice, label string) string {
	for _, c := range cs {
		if c.label == label {
			return c.key
		}
	}
	return ""
}

func labelOf(cs []choice, key string) string {
	for _, c := range cs {
		if c.key == key {
			return c.label
		}
	}
	return ""
}

// withAny prepends the "all" choice used by filters.
func withAny(cs []choice) []choice {
	return append([]choice{{"", i18n.T("venues.filter.any")}}, cs...)
}

func translated(prefix string, keys []string) []choice {
	out := make([]choice, len(keys))
	for i, k := range keys {
		out[i] = choice{k, i18n.T(prefix + "." + k)}
	}
	return out
}

func categoryChoices() []choice {
	keys := make([]string, len(data.Categories))
	for i, c := range data.Categories {
		keys[i] = c.Key
	}
	return translated("category", keys)
}

func statusChoices() []choice     { return translated("status", data.VenueStatuses) }
func controlChoices() []choice    { return translated("control", data.ControlMethods) }
func commitmentChoices() []choice { return translated("commitment", data.CommitmentStatuses) }

// wardChoices lists the replica's wards as "Phường Hải Châu I (20236)".
func wardChoices(wards []data.AdminUnit) []choice {
	out := make([]choice, len(wards))
	for i, w := range wards {
		out[i] = choice{w.Code, w.FullName() + " (" + w.Code + ")"}
	}
	return out
}
