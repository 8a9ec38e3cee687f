package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"qrward/assets/i18n"
	"qrward/data"
	"qrward/scan"
)

func init() {
	register(command{name: "scan-bench", summary: "cli.scan_bench.summary", run: runScanBench})
	register(command{name: "decode", summary: "cli.decode.summary", run: runDecode})
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }

// runScanBench decodes every image of a folder (one level of sub-folders
// = categories) and prints the read rate per category, so an office can
// check its own camera's captures. BoofCV label files next to the images
// are scored as in docs/perf/scan.md.
func runScanBench(e *env, args []string) error {
	fs := e.flags("scan-bench", "cli.scan_bench.usage", true)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	rep, err := scan.RunBench(fs.Arg(0), scan.BenchOptions{Progress: func(done, total int, _ scan.ImageResult) {
		if !e.json {
			e.progress("cli.scan_bench.progress", done, total)
		}
	}})
	if !e.json {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return data.Errorf(data.ENotFound, "err.file_open", fs.Arg(0))
	}
	if e.json {
		return e.printJSON(rep)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, i18n.T("cli.scan_bench.header"))
	for _, c := range rep.Categories {
		rate := "—"
		if c.Labels > 0 {
			rate = fmt.Sprintf("%.1f %%", 100*c.Rate)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d/%d\t%s\t%s\t%s\t\n", c.Category, c.Images, c.ImagesWithRead,
			c.Detected, c.Labels, rate, ms(c.MedianTime), ms(c.P95Time))
	}
	tw.Flush()
	e.say("cli.scan_bench.summary_line", 100*rep.MeanCategoryRate, ms(rep.MedianTime), ms(rep.P95Time))
	return nil
}

// decodedCode is one code of `qrward decode`, with what it is.
type decodedCode struct {
	scan.Code
	Kind  string `json:"kind"`
	Error string `json:"error,omitempty"`
}

func runDecode(e *env, args []string) error {
	fs := e.flags("decode", "cli.decode.usage", true)
	if err := e.parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	codes, took, err := scan.DecodeFile(fs.Arg(0))
	if err != nil {
		return data.Errorf(data.EInvalid, "err.image_unreadable", fs.Arg(0))
	}
	out := make([]decodedCode, len(codes))
	for i, c := range codes {
		out[i] = decodedCode{Code: c, Kind: "unknown"}
		if p, err := scan.Parse(c.Text); err == nil {
			out[i].Kind = p.Kind().String()
		} else if pe, ok := err.(*scan.PayloadError); ok {
			out[i].Error = pe.MessageVI()
			if i18n.Language() == "en" {
				out[i].Error = pe.MessageEN()
			}
		}
	}
	if e.json {
		return e.printJSON(map[string]any{"file": fs.Arg(0), "decode_ns": took, "codes": out})
	}
	if len(out) == 0 {
		return data.Errorf(data.ENotFound, "err.no_code_found", fs.Arg(0))
	}
	for _, c := range out {
		e.say("cli.decode.line", c.Kind, c.Text)
		if c.Error != "" {
			fmt.Fprintln(e.stdout, "  "+c.Error)
		}
	}
	return nil
}
