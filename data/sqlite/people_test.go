package sqlite

import (
	"testing"

	"qrward/data"
)

func TestCreateAndFindPeople(t *testing.T) {
	s := newTestStore(t)
	p := &data.Person{FullName: "  Đặng Thị Hường ", Phone: "+84 905 111 222", IDNumber: "048 301 012345", QID: "162979388586171100"}
	if err := s.CreatePerson(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	for _, q := range []PersonQuery{
		{Phone: "0905111222"}, {Phone: "84905111222"}, {IDNumber: "048301012345"},
		{QID: "162979388586171100"}, {Name: "dang thi huong"}, {Name: "ĐẶNG THỊ HƯỜNG"},
	} {
		got, err := s.FindPeople(t.Context(), q)
		if err != nil || len(got) != 1 || got[0].ID != p.ID || got[0].FullName != "Đặng Thị Hường" {
			t.Errorf("FindPeople(%+v) = %+v, %v", q, got, err)
		}
	}
	if got, _ := s.FindPeople(t.Context(), PersonQuery{Name: "dang thi"}); len(got) != 0 {
		t.Errorf("partial name matched: %+v", got)
	}
	if _, err := s.FindPeople(t.Context(), PersonQuery{}); data.ErrorCode(err) != data.EInvalid {
		t.Errorf("empty query: %v", err)
	}
	bad := &data.Person{FullName: "X", Phone: "123", IDNumber: "12345"}
	keys := fieldKeys(s.CreatePerson(t.Context(), bad))
	if keys["phone"] != "err.phone_invalid" || keys["id_number"] != "err.id_number_length" {
		t.Errorf("validation: %v", keys)
	}
	pending, _ := s.PendingChanges(t.Context(), 0, 10)
	if len(pending) != 1 || pending[0].Table != "person" {
		t.Errorf("outbox %+v", pending)
	}
}
