package scan

import (
	"bufio"
	"fmt"
	"image"
	_ "image/gif"  // register decoders for bench folders
	_ "image/jpeg" // ...
	_ "image/png"  // ...
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "golang.org/x/image/bmp"  // ...
	_ "golang.org/x/image/webp" // ...
)

// BenchOptions configure RunBench.
type BenchOptions struct {
	// Decoder options; the zero value means DefaultPhotoOptions.
	Decoder *DecoderOptions
	// Decode, if set, replaces the qrward decoder (used to score other
	// readers with the same rule). It receives the image path.
	Decode func(path string, img image.Image) ([]Code, error)
	// Progress, if set, is called after each image.
	Progress func(done, total int, img ImageResult)
}

// DefaultPhotoOptions are the decoder options used for still photos.
func DefaultPhotoOptions() DecoderOptions {
	return DecoderOptions{Thorough: true, Budget: 5 * time.Second}
}

// ImageResult is the outcome for one image.
type ImageResult struct {
	Category string `json:"category"`
	File     string `json:"file"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	Codes    []Code `json:"codes"`
	// DecodeTime excludes reading and decompressing the file.
	DecodeTime time.Duration `json:"decode_ns"`
	// Labels, Detected and FalseDetections are set when a label file exists.
	Labels          int    `json:"labels"`
	Detected        int    `json:"detected"`
	FalseDetections int    `json:"false_detections"`
	Labelled        bool   `json:"labelled"`
	Error           string `json:"error,omitempty"`
}

// CategoryResult aggregates the images of one sub-folder.
type CategoryResult struct {
	Category        string        `json:"category"`
	Images          int           `json:"images"`
	ImagesWithRead  int           `json:"images_with_read"`
	Labels          int           `json:"labels"`
	Detected        int           `json:"detected"`
	FalseDetections int           `json:"false_detections"`
	Rate            float64       `json:"rate"`
	MedianTime      time.Duration `json:"median_ns"`
	P95Time         time.Duration `json:"p95_ns"`
}

// BenchReport is the result of RunBench.
type BenchReport struct {
	Dir        string           `json:"dir"`
	Images     []ImageResult    `json:"images"`
	Categories []CategoryResult `json:"categories"`
	// MeanCategoryRate is the unweighted mean of per-category detection
	// rates over labelled categories (the qr-dev headline figure).
	MeanCategoryRate float64       `json:"mean_category_rate"`
	MedianTime       time.Duration `json:"median_ns"`
	P95Time          time.Duration `json:"p95_ns"`
}

var benchImageExt = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".bmp": true, ".webp": true}

// RunBench decodes every image under dir (one level of sub-folders = one
// category each; images directly in dir form category "."). When an image
// has a BoofCV label file (same name, .txt) it is scored with the qr-dev
// rule: a label is detected when a decoded code's centre (mean of its
// corners) falls inside the label polygon enlarged by 10 % about its
// centroid; each label counts once, and each decoded code credits at most
// the nearest containing label.
func RunBench(dir string, opts BenchOptions) (*BenchReport, error) {
	files, err := benchFiles(dir)
	if err != nil {
		return nil, err
	}
	decOpts := DefaultPhotoOptions()
	if opts.Decoder != nil {
		decOpts = *opts.Decoder
	}
	dec := NewDecoder(decOpts)
	rep := &BenchReport{Dir: dir}
	for i, path := range files {
		res := benchOne(dir, path, dec, opts.Decode)
		rep.Images = append(rep.Images, res)
		if opts.Progress != nil {
			opts.Progress(i+1, len(files), res)
		}
	}
	rep.summarise()
	return rep, nil
}

// DecodeFile reads one image file and decodes it with photo options.
func DecodeFile(path string) ([]Code, time.Duration, error) {
	img, err := loadImage(path)
	if err != nil {
		return nil, 0, err
	}
	start := time.Now()
	codes := NewDecoder(DefaultPhotoOptions()).Decode(img)
	return codes, time.Since(start), nil
}

func benchFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			if rel != "." && strings.Count(rel, string(filepath.Separator)) >= 1 {
				return filepath.SkipDir
			}
			return nil
		}
		if benchImageExt[strings.ToLower(filepath.Ext(p))] {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

func loadImage(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(bufio.NewReader(f))
	return img, err
}

func benchOne(dir, path string, dec *Decoder, custom func(string, image.Image) ([]Code, error)) ImageResult {
	rel, _ := filepath.Rel(dir, path)
	res := ImageResult{Category: filepath.Dir(rel), File: filepath.Base(rel)}
	img, err := loadImage(path)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.Width, res.Height = img.Bounds().Dx(), img.Bounds().Dy()
	start := time.Now()
	if custom != nil {
		res.Codes, err = custom(path, img)
		if err != nil {
			res.Error = err.Error()
		}
	} else {
		res.Codes = dec.Decode(img)
	}
	res.DecodeTime = time.Since(start)
	labelPath := strings.TrimSuffix(path, filepath.Ext(path)) + ".txt"
	if labels, err := ReadBoofCVLabels(labelPath); err == nil {
		res.Labelled = true
		res.Labels = len(labels)
		res.Detected, res.FalseDetections = ScoreDetections(labels, res.Codes)
	}
	return res
}

// ReadBoofCVLabels reads a qr-dev / BoofCV label file (either the SETS form
// with 8 numbers per line, or the older form with one "x y" point per line,
// four points per code). Repeated identical polygons are merged.
func ReadBoofCVLabels(path string) ([][]Point, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var polys [][]Point
	var pending []Point
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || line == "SETS" {
			continue
		}
		fields := strings.Fields(line)
		nums := make([]float64, 0, len(fields))
		for _, f := range fields {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return nil, fmt.Errorf("%s: bad number %q", path, f)
			}
			nums = append(nums, v)
		}
		switch len(nums) {
		case 8:
			polys = append(polys, []Point{{nums[0], nums[1]}, {nums[2], nums[3]}, {nums[4], nums[5]}, {nums[6], nums[7]}})
		case 2:
			pending = append(pending, Point{nums[0], nums[1]})
			if len(pending) == 4 {
				polys = append(polys, pending)
				pending = nil
			}
		default:
			return nil, fmt.Errorf("%s: unexpected line %q", path, line)
		}
	}
	// Merge repeats (two files list the same polygon twice).
	var out [][]Point
	for _, p := range polys {
		dup := false
		for _, q := range out {
			if samePolygon(p, q) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out, nil
}

func samePolygon(a, b []Point) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if dist(a[i], b[i]) > 1e-6 {
			return false
		}
	}
	return true
}

// ScoreDetections applies the qr-dev rule and returns the labels detected
// and the decoded codes that lie on no label.
func ScoreDetections(labels [][]Point, codes []Code) (detected, falseDetections int) {
	grown := make([][]Point, len(labels))
	centroids := make([]Point, len(labels))
	for i, l := range labels {
		grown[i] = expandPolygon(l, 1.1)
		centroids[i] = polygonCentroid(l)
	}
	used := make([]bool, len(labels))
	for _, c := range codes {
		ctr := c.Corners.Center()
		best, bestD := -1, 0.0
		onLabel := false
		for i := range labels {
			if !pointInPolygon(ctr, grown[i]) {
				continue
			}
			onLabel = true
			if used[i] {
				continue
			}
			if d := dist(ctr, centroids[i]); best < 0 || d < bestD {
				best, bestD = i, d
			}
		}
		switch {
		case best >= 0:
			used[best] = true
			detected++
		case !onLabel:
			falseDetections++
		}
	}
	return detected, falseDetections
}

func (r *BenchReport) summarise() {
	byCat := map[string]*CategoryResult{}
	times := map[string][]time.Duration{}
	var all []time.Duration
	for _, img := range r.Images {
		c := byCat[img.Category]
		if c == nil {
			c = &CategoryResult{Category: img.Category}
			byCat[img.Category] = c
		}
		c.Images++
		if len(img.Codes) > 0 {
			c.ImagesWithRead++
		}
		c.Labels += img.Labels
		c.Detected += img.Detected
		c.FalseDetections += img.FalseDetections
		times[img.Category] = append(times[img.Category], img.DecodeTime)
		all = append(all, img.DecodeTime)
	}
	sum, n := 0.0, 0
	for name, c := range byCat {
		if c.Labels > 0 {
			c.Rate = float64(c.Detected) / float64(c.Labels)
			sum += c.Rate
			n++
		}
		c.MedianTime, c.P95Time = quantile(times[name], 0.5), quantile(times[name], 0.95)
		r.Categories = append(r.Categories, *c)
	}
	sort.Slice(r.Categories, func(i, j int) bool { return r.Categories[i].Category < r.Categories[j].Category })
	if n > 0 {
		r.MeanCategoryRate = sum / float64(n)
	}
	r.MedianTime, r.P95Time = quantile(all, 0.5), quantile(all, 0.95)
}

// quantile returns the q-quantile (nearest rank) of ds.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(q*float64(len(s))+0.5) - 1
	if i < 0 {
		i = 0
	}
	if i >= len(s) {
		i = len(s) - 1
	}
	return s[i]
}
