package posters

import (
	"bytes"
	"context"
	"io"

	"qrward/data"
	"qrward/data/sqlite"
	"qrward/reports"
	"qrward/scan"
)

// Request says which venues to print and how.
type Request struct {
	Venues []data.ID
	// Reissue issues a new code even for venues that have one, revoking
	// the posters printed before; venues without a code always get one.
	Reissue bool
	Size    reports.PaperSize
	// Progress, if set, is told how many posters are ready (preparing is
	// the first half of the work, writing the PDF the second).
	Progress func(done, total int)
}

// Write prepares every requested venue and writes one PDF to w. New
// issues are saved only once the whole PDF is rendered, in one
// transaction: a failed or cancelled batch revokes no poster.
func Write(ctx context.Context, s *sqlite.Store, key *scan.OfficeKey, req Request, w io.Writer) error {
	if len(req.Venues) == 0 {
		return data.Errorf(data.EInvalid, "err.posters_none")
	}
	if err := ctx.Err(); err != nil {
		return &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: err}
	}
	office, err := s.Setting(ctx, "office.name")
	if err != nil {
		return err
	}
	total := 2 * len(req.Venues)
	list := make([]reports.PosterVenue, 0, len(req.Venues))
	var issued []data.Venue
	now := s.Now()
	for i, id := range req.Venues {
		if err := ctx.Err(); err != nil {
			return &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: err}
		}
		v, err := s.Venue(ctx, id)
		if err != nil {
			return err
		}
		before := v.QRSerial
		v, payload, err := sqlite.PlanVenueQR(v, req.Reissue, key, now)
		if err != nil {
			return err
		}
		if v.QRSerial != before {
			issued = append(issued, v)
		}
		pv := reports.PosterVenue{Name: v.Name, Address: v.Address, VenueCode: v.Code, Payload: payload,
			IssuedOn: *v.QRIssuedOn, OfficeName: office}
		if w, ok := s.Units().Ward(v.WardCode); ok {
			pv.WardName = w.FullName()
		}
		if d, ok := s.Units().District(v.WardCode); ok {
			pv.DistrictName = d.FullName()
		}
		list = append(list, pv)
		if req.Progress != nil {
			req.Progress(i+1, total)
		}
	}
	progress := func(done, _ int) {
		if req.Progress != nil {
			req.Progress(len(list)+done, total)
		}
	}
	var pdf bytes.Buffer
	if err := reports.WritePosters(ctx, &pdf, list, reports.PosterOptions{Size: req.Size}, progress); err != nil {
		if ctx.Err() != nil {
			return &data.Error{Code: data.ECancelled, Key: "err.cancelled", Err: err}
		}
		return &data.Error{Code: data.EInternal, Key: "err.pdf_write", Err: err}
	}
	if err := s.SaveQRIssues(ctx, issued); err != nil {
		return err
	}
	_, err = pdf.WriteTo(w)
	return err
}
