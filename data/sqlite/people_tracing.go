package sqlite

import (
	"context"

	"qrward/data"
)

// PeopleByIDs reads the people on a tracing list. It goes through Person
// so personal data is read (and decrypted) in people.go only. Unknown or
// deleted ids are left out.
func (s *Store) PeopleByIDs(ctx context.Context, ids []data.ID) (map[data.ID]data.Person, error) {
	out := make(map[data.ID]data.Person, len(ids))
	for _, id := range ids {
		if _, done := out[id]; done {
			continue
		}
		p, err := s.Person(ctx, id)
		if data.ErrorCode(err) == data.ENotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = p
	}
	return out, nil
}
