package venuefile

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"qrward/data"
)

// listWards is a plain list of real wards (GSO 2021 codes from
// shared/admin-units/vn-units-2021.csv): a few of Đà Nẵng, and Quảng
// Nam's Xã Phước Ninh, whose name a Đà Nẵng ward shares.
type listWards []data.AdminUnit

func (l listWards) Ward(code string) (data.AdminUnit, bool) {
	for _, u := range l {
		if u.Code == code {
			return u, true
		}
	}
	return data.AdminUnit{}, false
}

func (l listWards) Wards() []data.AdminUnit { return l }

func ward(code, typ, name, district string) data.AdminUnit {
	return data.AdminUnit{Dataset: "vn-2021", Code: code, Level: data.LevelWard, Type: typ, Name: name, ParentCode: district}
}

var testWards = listWards{
	ward("20197", "Phường", "Hòa Khánh Bắc", "490"),
	ward("20206", "Phường", "Thanh Khê Tây", "491"),
	ward("20233", "Phường", "Thạch Thang", "492"),
	ward("20236", "Phường", "Hải Châu I", "492"),
	ward("20239", "Phường", "Hải Châu II", "492"),
	ward("20242", "Phường", "Phước Ninh", "492"),
	ward("20257", "Phường", "Hòa Cường Bắc", "492"),
	ward("20272", "Phường", "An Hải Bắc", "493"),
	ward("20287", "Phường", "Hoà Quý", "494"),
	ward("20332", "Xã", "Hòa Khương", "497"),
	ward("20669", "Xã", "Phước Ninh", "519"), // Quảng Nam
}

func testWardName(code string) string {
	if u, ok := testWards.Ward(code); ok {
		return u.FullName()
	}
	return ""
}

// csvFile writes records as a CSV file.
func csvFile(t testing.TB, comma rune, bom bool, records [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if bom {
		buf.Write(utf8BOM)
	}
	w := csv.NewWriter(&buf)
	w.Comma = comma
	if err := w.WriteAll(records); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// xlsxFile writes records on a sheet as strings, except cells given as
// other Go values (numbers stay numbers, as Excel stores typed phones).
func xlsxFile(t testing.TB, sheet string, records [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			t.Fatal(err)
		}
	}
	for i, rec := range records {
		row := rec
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func anyRows(rs [][]string) [][]any {
	out := make([][]any, len(rs))
	for i, r := range rs {
		out[i] = make([]any, len(r))
		for j, c := range r {
			out[i][j] = c
		}
	}
	return out
}

func problemsString(ps []data.FieldError) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Field+":"+p.Key)
	}
	return strings.Join(s, " ")
}

func mustDataError(t *testing.T, err error, code, key string) *data.Error {
	t.Helper()
	e, ok := err.(*data.Error)
	if !ok {
		t.Fatalf("error %v (%T), want *data.Error %s %s", err, err, code, key)
	}
	if e.Code != code || e.Key != key {
		t.Fatalf("error %s/%s %v, want %s/%s", e.Code, e.Key, e.Args, code, key)
	}
	return e
}

// sampleVenues makes n valid, normalised venues spread over the test
// wards and every category.
func sampleVenues(t testing.TB, n int) []data.Venue {
	t.Helper()
	phones := []string{"0905", "0935", "0914", "0983", "0779", "0388", "0868", "0563"}
	out := make([]data.Venue, n)
	for i := range out {
		c := data.Categories[i%len(data.Categories)]
		w := testWards[i%9]
		v := data.Venue{
			Code:       fmt.Sprintf("%s-%04d", w.Code, i+1),
			Name:       fmt.Sprintf("%s số %d", Categories.Name(c.Key), i+1),
			Category:   c.Key,
			Address:    fmt.Sprintf("%d Lê Duẩn", i%400+1),
			WardCode:   w.Code,
			OwnerName:  []string{"Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Phúc", "Phạm Thị Hồng Đào"}[i%4],
			OwnerPhone: fmt.Sprintf("%s%06d", phones[i%len(phones)], i%1000000),
			Status:     data.VenueStatuses[i%3],
			Commitment: data.CommitmentStatuses[i%3],
			QRSerial:   i % 2,
		}
		if i%5 == 0 {
			v.ControlMethod = data.ControlStaffScan
		}
		if i%7 == 0 {
			v.Notes = "Đã nhắc nhở lần " + fmt.Sprint(i%3+1)
		}
		if err := v.Normalize(testWards); err != nil {
			t.Fatalf("sample venue %d: %v", i, err)
		}
		out[i] = v
	}
	return out
}

func sliceNext(vs []data.Venue) func() (data.Venue, bool, error) {
	i := 0
	return func() (data.Venue, bool, error) {
		if i == len(vs) {
			return data.Venue{}, false, nil
		}
		i++
		return vs[i-1], true, nil
	}
}
