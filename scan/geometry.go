package scan

import "math"

// Point is a position in image pixels (x right, y down).
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Quad is the outline of a code: its four outer corners (quiet zone
// excluded) in the code's own order: top-left, top-right, bottom-right,
// bottom-left as the code is read (which need not be upright in the image).
type Quad [4]Point

// Center is the mean of the four corners.
func (q Quad) Center() Point {
	return Point{(q[0].X + q[1].X + q[2].X + q[3].X) / 4, (q[0].Y + q[1].Y + q[2].Y + q[3].Y) / 4}
}

// Scale multiplies every coordinate by s.
func (q Quad) Scale(s float64) Quad {
	for i := range q {
		q[i].X *= s
		q[i].Y *= s
	}
	return q
}

// Area is the absolute area of the quadrilateral (shoelace formula).
func (q Quad) Area() float64 { return polygonArea(q[:]) }

// SideLength is the mean length of the four sides.
func (q Quad) SideLength() float64 {
	s := 0.0
	for i := range q {
		j := (i + 1) % 4
		s += math.Hypot(q[j].X-q[i].X, q[j].Y-q[i].Y)
	}
	return s / 4
}

// Contains reports whether p lies inside the quadrilateral.
func (q Quad) Contains(p Point) bool { return pointInPolygon(p, q[:]) }

func polygonArea(poly []Point) float64 {
	a := 0.0
	for i := range poly {
		j := (i + 1) % len(poly)
		a += poly[i].X*poly[j].Y - poly[j].X*poly[i].Y
	}
	return math.Abs(a) / 2
}

func polygonCentroid(poly []Point) Point {
	var c Point
	for _, p := range poly {
		c.X += p.X
		c.Y += p.Y
	}
	n := float64(len(poly))
	return Point{c.X / n, c.Y / n}
}

// pointInPolygon is the even-odd ray-crossing test.
func pointInPolygon(p Point, poly []Point) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (a.Y > p.Y) != (b.Y > p.Y) &&
			p.X < (b.X-a.X)*(p.Y-a.Y)/(b.Y-a.Y)+a.X {
			in = !in
		}
	}
	return in
}

// expandPolygon scales a polygon about its centroid by factor f.
func expandPolygon(poly []Point, f float64) []Point {
	c := polygonCentroid(poly)
	out := make([]Point, len(poly))
	for i, p := range poly {
		out[i] = Point{c.X + (p.X-c.X)*f, c.Y + (p.Y-c.Y)*f}
	}
	return out
}

func dist(a, b Point) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }
