package scan

import (
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// This file chooses the strategy ladders by measurement. Each candidate
// strategy is run alone on every image; a greedy selection then picks, at
// each step, the strategy with the best gain per millisecond over the images
// the ladder does not read yet. Run with QRWARD_EVAL=1 (generated set) and
// QRWARD_QRDEV=1 (real photos); the chosen ladders are copied by hand into
// strategy.go and the figures into docs/perf/scan.md.

func candidateStrategies(sides []int, upscale bool) []strategy {
	var out []strategy
	for _, side := range sides {
		for _, b := range []binarizer{binHybrid, binGlobal, binLocalMean} {
			for _, p := range []prep{prepNone, prepSharpen, prepBlur, prepStretch} {
				if p == prepStretch && b != binGlobal {
					continue // Hybrid and local mean are already contrast-invariant
				}
				s := strategy{side: side, bin: b, prep: p, multi: true}
				if upscale && side > 0 {
					s.maxScale = 2
				}
				s.name = strategyName(s)
				out = append(out, s)
			}
		}
		inv := strategy{side: side, bin: binHybrid, invert: true, multi: true}
		inv.name = strategyName(inv)
		out = append(out, inv)
	}
	return out
}

func strategyName(s strategy) string {
	side := "native"
	if s.side > 0 {
		side = fmt.Sprint(s.side)
	}
	name := side + "/" + s.bin.String()
	if s.prep != prepNone {
		name += "+" + s.prep.String()
	}
	if s.invert {
		name += "+invert"
	}
	if s.maskPasses > 0 {
		name += "+mask"
	}
	if s.rotate != 0 {
		name += fmt.Sprintf("+rot%g", s.rotate)
	}
	if s.window != 0 {
		name += fmt.Sprintf("+w%d", s.window)
	}
	if s.tryHarder {
		name += "+tryharder"
	}
	if s.maxScale > 1 {
		name += fmt.Sprintf("+up%g", s.maxScale)
	}
	if s.triples > 0 {
		name += fmt.Sprintf("+t%d", s.triples)
	}
	return name
}

// evalResult is one strategy on one image: which truths/labels it found.
type evalResult struct {
	hits  map[int]bool
	wrong int
	time  time.Duration
}

func runCandidates(cands []strategy, n int, run func(s strategy, i int) evalResult) [][]evalResult {
	res := make([][]evalResult, len(cands))
	for si := range cands {
		res[si] = make([]evalResult, n)
	}
	type job struct{ si, i int }
	jobs := make(chan job)
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				res[j.si][j.i] = run(cands[j.si], j.i)
			}
		}()
	}
	for si := range cands {
		for i := 0; i < n; i++ {
			jobs <- job{si, i}
		}
	}
	close(jobs)
	wg.Wait()
	return res
}

// greedyLadder selects strategies. value(covered) scores a coverage state;
// stopOnRead means the decoder stops at the first success for an image, so
// a strategy's cost counts only on images not fully read yet.
func greedyLadder(logf func(string, ...any), cands []strategy, res [][]evalResult, targets []int,
	value func(covered []map[int]bool) float64, stopOnRead bool, maxSteps int) []int {
	n := len(targets)
	covered := make([]map[int]bool, n)
	for i := range covered {
		covered[i] = map[int]bool{}
	}
	used := map[int]bool{}
	var ladder []int
	cum := time.Duration(0)
	for step := 0; step < maxSteps; step++ {
		base := value(covered)
		best, bestRatio, bestGain := -1, 0.0, 0.0
		var bestCost time.Duration
		for si := range cands {
			if used[si] {
				continue
			}
			trial := make([]map[int]bool, n)
			var cost time.Duration
			for i := range covered {
				done := targets[i] > 0 && len(covered[i]) >= targets[i]
				if stopOnRead && done {
					trial[i] = covered[i]
					continue
				}
				cost += res[si][i].time
				m := map[int]bool{}
				for k := range covered[i] {
					m[k] = true
				}
				for k := range res[si][i].hits {
					m[k] = true
				}
				trial[i] = m
			}
			gain := value(trial) - base
			ratio := gain / (float64(cost)/float64(n)/1e6 + 0.05)
			if gain > 1e-9 && ratio > bestRatio {
				best, bestRatio, bestGain, bestCost = si, ratio, gain, cost
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		ladder = append(ladder, best)
		for i := range covered {
			for k := range res[best][i].hits {
				covered[i][k] = true
			}
		}
		cum += bestCost / time.Duration(n)
		logf("step %2d: %-28s gain %+.2f%% → %.2f%%  (mean cost %v, cumulative %v)", step+1,
			cands[best].name, 100*bestGain, 100*value(covered), bestCost/time.Duration(n), cum)
	}
	return ladder
}

func logStrategyTable(t *testing.T, cands []strategy, res [][]evalResult, value func([]map[int]bool) float64) {
	type row struct {
		name  string
		v     float64
		t     time.Duration
		wrong int
	}
	var rows []row
	for si, s := range cands {
		cov := make([]map[int]bool, len(res[si]))
		var total time.Duration
		wrong := 0
		for i, r := range res[si] {
			cov[i] = r.hits
			total += r.time
			wrong += r.wrong
		}
		rows = append(rows, row{s.name, value(cov), total / time.Duration(len(res[si])), wrong})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].v > rows[j].v })
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "\n  %-28s %6.2f%%  mean %8v  wrong %d", r.name, 100*r.v, r.t.Round(10*time.Microsecond), r.wrong)
	}
	t.Log("single strategies:" + b.String())
}

func TestEvalStrategiesGenerated(t *testing.T) {
	if os.Getenv("QRWARD_EVAL") == "" {
		t.Skip("set QRWARD_EVAL=1")
	}
	fo := FrameSetOptions{Seed: 1, PerCondition: 20}
	if c := os.Getenv("QRWARD_EVAL_COND"); c != "" {
		// Focus on one condition with more frames and another seed.
		fo = FrameSetOptions{Seed: 1234, PerCondition: 40, Conditions: []FrameCondition{FrameCondition(c)}}
	}
	frames := GenerateFrames(fo)
	lumas := make([]lumaPlane, len(frames))
	targets := make([]int, len(frames))
	for i, f := range frames {
		lumas[i] = toLuma(f.Image)
		targets[i] = len(f.Truth)
	}
	var cands []strategy
	if os.Getenv("QRWARD_EVAL_SET") == "sweep" {
		cands = candidateStrategies([]int{0, 480, 320, 1280}, true)
	} else {
		cands = cameraRound2Candidates()
	}
	res := runCandidates(cands, len(frames), func(s strategy, i int) evalResult {
		start := time.Now()
		cache := planeCache{src: lumas[i], planes: map[planeKey]lumaPlane{}}
		var codes []Code
		applyStrategy(&cache, s, &codes)
		r := evalResult{hits: map[int]bool{}, time: time.Since(start)}
		for _, c := range codes {
			ok := false
			for ti, tr := range frames[i].Truth {
				if tr.Text == c.Text && tr.Corners.Contains(c.Corners.Center()) {
					r.hits[ti], ok = true, true
				}
			}
			if !ok {
				r.wrong++
			}
		}
		return r
	})
	value := func(cov []map[int]bool) float64 {
		n := 0
		for i, c := range cov {
			if targets[i] > 0 && len(c) >= targets[i] {
				n++
			}
		}
		return float64(n) / float64(len(cov))
	}
	logStrategyTable(t, cands, res, value)
	greedyLadder(t.Logf, cands, res, targets, value, true, 12)
}

func TestEvalStrategiesQRDev(t *testing.T) {
	if os.Getenv("QRWARD_EVAL") == "" || os.Getenv("QRWARD_QRDEV") == "" {
		t.Skip("set QRWARD_EVAL=1 QRWARD_QRDEV=1")
	}
	imgs := loadQRDev(t, false)
	targets := make([]int, len(imgs))
	catLabels := map[string]int{}
	for i, im := range imgs {
		targets[i] = len(im.labels)
		catLabels[im.cat] += len(im.labels)
	}
	var cands []strategy
	if os.Getenv("QRWARD_EVAL_SET") == "sweep" {
		cands = candidateStrategies([]int{2400, 1600, 1024, 720, 480}, false)
		for _, side := range []int{1600, 1024} {
			cands = append(cands, strategy{side: side, bin: binHybrid, multi: true, maskPasses: 3})
		}
	} else if os.Getenv("QRWARD_EVAL_SET") == "round2" {
		cands = append(cands, photoRound2Candidates()...)
	} else {
		cands = append(cands, photoRound3Candidates()...)
	}
	for i := range cands {
		cands[i].multi = true
		cands[i].name = strategyName(cands[i])
	}
	res := runCandidates(cands, len(imgs), func(s strategy, i int) evalResult {
		start := time.Now()
		cache := planeCache{src: imgs[i].luma, planes: map[planeKey]lumaPlane{}}
		var codes []Code
		applyStrategy(&cache, s, &codes)
		r := evalResult{hits: map[int]bool{}, time: time.Since(start)}
		hits := labelHits(imgs[i].labels, codes)
		for _, h := range hits {
			r.hits[h] = true
		}
		return r
	})
	value := func(cov []map[int]bool) float64 {
		det := map[string]int{}
		for i, c := range cov {
			det[imgs[i].cat] += len(c)
		}
		sum := 0.0
		for cat, n := range catLabels {
			sum += float64(det[cat]) / float64(n)
		}
		return sum / float64(len(catLabels))
	}
	logStrategyTable(t, cands, res, value)
	ladder := greedyLadder(t.Logf, cands, res, targets, value, false, 20)
	// Per-category rates of the union of the chosen ladder.
	det := map[string]int{}
	for i := range imgs {
		hit := map[int]bool{}
		for _, si := range ladder {
			for k := range res[si][i].hits {
				hit[k] = true
			}
		}
		det[imgs[i].cat] += len(hit)
	}
	var parts []string
	for cat, n := range catLabels {
		parts = append(parts, fmt.Sprintf("%s=%.0f%%", cat, 100*float64(det[cat])/float64(n)))
	}
	sort.Strings(parts)
	t.Log("ladder per category: " + strings.Join(parts, " "))
	crossValidate(t, cands, res, imgs, catLabels)
}

// labelHits returns the indices of labels credited by the qr-dev rule.
func labelHits(labels [][]Point, codes []Code) []int {
	var out []int
	grown := make([][]Point, len(labels))
	for i, l := range labels {
		grown[i] = expandPolygon(l, 1.1)
	}
	used := map[int]bool{}
	for _, c := range codes {
		ctr := c.Corners.Center()
		best, bestD := -1, 0.0
		for i := range labels {
			if used[i] || !pointInPolygon(ctr, grown[i]) {
				continue
			}
			if d := dist(ctr, polygonCentroid(labels[i])); best < 0 || d < bestD {
				best, bestD = i, d
			}
		}
		if best >= 0 {
			used[best] = true
			out = append(out, best)
		}
	}
	return out
}

// photoRound2Candidates: the strategies the full sweep selected, plus
// rotation, mask-and-retry, try-harder, window and enlargement variants.
func photoRound2Candidates() []strategy {
	l, h, g := binLocalMean, binHybrid, binGlobal
	return []strategy{
		{side: 480, bin: l}, {side: 1024, bin: g}, {side: 720, bin: h, prep: prepSharpen},
		{side: 1600, bin: h, maskPasses: 3}, {side: 480, bin: g, prep: prepBlur}, {side: 720, bin: l},
		{side: 480, bin: h, prep: prepSharpen}, {side: 1024, bin: g, prep: prepStretch}, {side: 480, bin: h},
		{side: 720, bin: g}, {side: 720, bin: g, prep: prepBlur}, {side: 1024, bin: h, prep: prepSharpen},
		{side: 2400, bin: h, prep: prepSharpen}, {side: 1024, bin: l},
		{side: 720, bin: h, rotate: 45}, {side: 720, bin: l, rotate: 45}, {side: 1024, bin: g, rotate: 45},
		{side: 1024, bin: l, maskPasses: 3}, {side: 1600, bin: l, maskPasses: 3},
		{side: 1024, bin: g, tryHarder: true}, {side: 720, bin: h, tryHarder: true}, {side: 480, bin: l, tryHarder: true},
		{side: 1024, bin: l, window: 8}, {side: 1024, bin: l, window: 32}, {side: 480, bin: l, window: 8},
		{side: 1200, maxScale: 3, bin: h, minSide: 0}, {side: 1200, maxScale: 3, bin: l},
		{side: 720, bin: l, prep: prepSharpen, rotate: 22.5}, {side: 720, bin: h, rotate: -22.5},
	}
}

// photoRound3Candidates: round 2's selection, each with and without
// TRY_HARDER (which made the largest single gain in round 2), plus
// high-resolution variants for dense codes.
func photoRound3Candidates() []strategy {
	l, h, g := binLocalMean, binHybrid, binGlobal
	base := []strategy{
		{side: 480, bin: l, window: 8}, {side: 720, bin: h}, {side: 720, bin: h, rotate: -22.5},
		{side: 1024, bin: l, window: 8}, {side: 1024, bin: h, prep: prepSharpen}, {side: 720, bin: g},
		{side: 1600, bin: l, maskPasses: 3}, {side: 480, bin: h}, {side: 1024, bin: g, rotate: 45},
		{side: 720, bin: g, prep: prepBlur}, {side: 1024, bin: g, prep: prepStretch}, {side: 1200, maxScale: 3, bin: h},
		{side: 1024, bin: g}, {side: 720, bin: l, prep: prepSharpen, rotate: 22.5}, {side: 2400, bin: h, prep: prepSharpen},
		{side: 1024, bin: l, maskPasses: 3}, {side: 1600, bin: h, maskPasses: 3}, {side: 720, bin: l, rotate: 45},
		{side: 1600, bin: h}, {side: 2400, bin: l, window: 8}, {side: 720, bin: l, window: 8, rotate: -22.5},
	}
	var out []strategy
	for _, s := range base {
		s.triples = photoTriples
		out = append(out, s)
		s.tryHarder = true
		out = append(out, s)
	}
	return out
}

// photoTriples is the triple-search budget evaluated for photos
// (QRWARD_EVAL_TRIPLES overrides it; 0 reproduces round 3).
var photoTriples = func() int {
	n := 16
	if v := os.Getenv("QRWARD_EVAL_TRIPLES"); v != "" {
		fmt.Sscan(v, &n)
	}
	return n
}()

// crossValidate guards against fitting the ladder to the photos it is
// scored on: select on the even-numbered photos, score on the odd ones, and
// the reverse.
func crossValidate(t *testing.T, cands []strategy, res [][]evalResult, imgs []qrDevImage, catLabels map[string]int) {
	for fold := 0; fold < 2; fold++ {
		var train, test []int
		for i := range imgs {
			if i%2 == fold {
				train = append(train, i)
			} else {
				test = append(test, i)
			}
		}
		sub := func(idx []int) ([][]evalResult, []int, func([]map[int]bool) float64) {
			r := make([][]evalResult, len(cands))
			targets := make([]int, len(idx))
			labels := map[string]int{}
			for k, i := range idx {
				targets[k] = len(imgs[i].labels)
				labels[imgs[i].cat] += len(imgs[i].labels)
			}
			for si := range cands {
				for _, i := range idx {
					r[si] = append(r[si], res[si][i])
				}
			}
			value := func(cov []map[int]bool) float64 {
				det := map[string]int{}
				for k, c := range cov {
					det[imgs[idx[k]].cat] += len(c)
				}
				sum := 0.0
				for cat, n := range labels {
					sum += float64(det[cat]) / float64(n)
				}
				return sum / float64(len(labels))
			}
			return r, targets, value
		}
		trRes, trTargets, trValue := sub(train)
		ladder := greedyLadder(func(string, ...any) {}, cands, trRes, trTargets, trValue, false, 18)
		teRes, _, teValue := sub(test)
		cov := make([]map[int]bool, len(test))
		for k := range test {
			cov[k] = map[int]bool{}
			for _, si := range ladder {
				for h := range teRes[si][k].hits {
					cov[k][h] = true
				}
			}
		}
		t.Logf("cross-validation fold %d: ladder of %d chosen on %d photos scores %.1f%% on the other %d (%.1f%% on its own)",
			fold, len(ladder), len(train), 100*teValue(cov), len(test), 100*trValue(coverOf(trRes, ladder)))
	}
}

func coverOf(res [][]evalResult, ladder []int) []map[int]bool {
	cov := make([]map[int]bool, len(res[0]))
	for k := range cov {
		cov[k] = map[int]bool{}
		for _, si := range ladder {
			for h := range res[si][k].hits {
				cov[k][h] = true
			}
		}
	}
	return cov
}

// cameraRound2Candidates: the sweep's selection with and without
// TRY_HARDER, plus the window and rotation variants that helped on photos.
func cameraRound2Candidates() []strategy {
	l, h, g := binLocalMean, binHybrid, binGlobal
	base := []strategy{
		{bin: g, prep: prepStretch}, {bin: l}, {bin: h, invert: true}, {bin: h}, {bin: l, prep: prepSharpen},
		{side: 320, bin: l, prep: prepSharpen}, {side: 1280, maxScale: 2, bin: l}, {side: 1280, maxScale: 2, bin: h, prep: prepSharpen},
		{bin: l, window: 8}, {bin: h, rotate: 45}, {bin: l, rotate: -22.5}, {side: 480, bin: h}, {bin: l, invert: true},
		{bin: g}, {bin: l, window: 32}, {side: 960, maxScale: 1.5, bin: h}, {side: 960, maxScale: 1.5, bin: l},
		{bin: l, maskPasses: 2}, {bin: h, prep: prepBlur}, {bin: g, rotate: 45},
	}
	var out []strategy
	for _, s := range base {
		out = append(out, s)
		s.tryHarder = true
		out = append(out, s)
	}
	for i := range out {
		out[i].multi = true
		out[i].name = strategyName(out[i])
	}
	return out
}
