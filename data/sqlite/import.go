package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"qrward/data"
)

// ImportVenues inserts already-validated venues (see data/venuefile) in a
// single transaction: either every venue is saved or none is. progress, if
// not nil, is called after each row; cancelling ctx rolls everything back.
func (s *Store) ImportVenues(ctx context.Context, venues []data.Venue, progress func(done, total int)) error {
	if err := s.Require(data.PermImportExport); err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		for i := range venues {
			if err := ctx.Err(); err != nil {
				return &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: err}
			}
			v := &venues[i]
			if err := v.Normalize(s.units); err != nil {
				return err
			}
			if err := s.insertVenue(ctx, tx, v, true); err != nil {
				return err
			}
			if progress != nil {
				progress(i+1, len(venues))
			}
		}
		return s.audit(ctx, tx, s.actor(), "import_venues", "venue", "", fmt.Sprintf(`{"rows":%d}`, len(venues)))
	})
}
