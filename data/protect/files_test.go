package protect

import "testing"

func TestPersonalFileName(t *testing.T) {
	for in, want := range map[string]string{
		"ds.xlsx":               "ds-du-lieu-ca-nhan.xlsx",
		"/tmp/truy-vet.pdf":     "/tmp/truy-vet-du-lieu-ca-nhan.pdf",
		"a-du-lieu-ca-nhan.csv": "a-du-lieu-ca-nhan.csv",
		"noext":                 "noext-du-lieu-ca-nhan",
	} {
		if got := PersonalFileName(in); got != want {
			t.Errorf("%s → %s, want %s", in, got, want)
		}
	}
	if OnRemovableMedia(t.TempDir()) {
		t.Error("the temp dir is not removable media")
	}
}
