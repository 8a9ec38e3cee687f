package venuefile

import (
	"bytes"
	"testing"

	"qrward/data"
)

// FuzzRead feeds arbitrary CSV text to Read: it must never panic, and a
// preview it returns must be consistent.
func FuzzRead(f *testing.F) {
	f.Add([]byte("Tên địa điểm,Loại hình,Địa chỉ,Mã phường/xã,Chủ cơ sở,Số điện thoại\nQuán A,Nhà hàng,1 Lê Lợi,20236,An,0905123456\n"))
	f.Add([]byte("\xEF\xBB\xBFname;category;address;ward;owner;phone\r\n\"Quán \"\"B\"\"\";Chợ;2;hai chau 1;Bình;+84905123456\r\n"))
	f.Add([]byte("STT\tTên\tLoại\tĐịa chỉ\tPhường\tChủ cơ sở\tSĐT\n1\tX\tcafe\t3\tPhước Ninh\tC\t0123\n"))
	f.Add([]byte("\xFF\xFEa\x00,\x00b\x00"))
	f.Add([]byte("Tên địa điểm,Tên địa điểm\n"))
	f.Add([]byte("Tên địa điểm,Loại hình,Địa chỉ,Mã phường/xã,Chủ cơ sở,Số điện thoại\n\"unterminated,x\n"))
	f.Add(csvFile(f, ',', true, caseRecords()))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Read(bytes.NewReader(b), CSV, testWards, ReadOptions{MaxRows: 1000})
		if err != nil {
			return
		}
		if len(p.Rows) == 0 {
			t.Fatal("no rows and no error")
		}
		last := p.HeaderLine
		for i, r := range p.Rows {
			if r.Line <= last {
				t.Fatalf("row %d on line %d after line %d", i, r.Line, last)
			}
			last = r.Line
			if len(r.Cells) != len(p.Columns) {
				t.Fatalf("row %d: %d cells, %d columns", i, len(r.Cells), len(p.Columns))
			}
		}
		if p.ErrorCount()+len(p.Valid()) != len(p.Rows) {
			t.Fatal("ErrorCount and Valid disagree")
		}
	})
}

// FuzzReadXLSX mutates a real workbook (the template): a damaged XLSX is
// refused with a typed error, never a panic.
func FuzzReadXLSX(f *testing.F) {
	var tmpl bytes.Buffer
	if err := WriteTemplate(&tmpl, XLSX); err != nil {
		f.Fatal(err)
	}
	f.Add(tmpl.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Read(bytes.NewReader(b), XLSX, testWards, ReadOptions{MaxRows: 1000})
		if err != nil {
			if data.ErrorCode(err) == data.EInternal {
				t.Fatalf("untyped refusal: %v", err)
			}
			return
		}
		if p.ErrorCount()+len(p.Valid()) != len(p.Rows) {
			t.Fatal("ErrorCount and Valid disagree")
		}
	})
}
