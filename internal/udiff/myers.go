package udiff

// differ computes which lines of a are deleted and which lines of b are
// inserted.
type differ struct {
	a, b       []int32
	delA, insB []bool
	// budget is the work left (diagonal and snake steps); at zero, the
	// regions not yet compared become whole replacements.
	budget int
	// maxCost is the edit cost after which one search stops looking for
	// the optimal middle snake and splits at the furthest point reached
	// (0: derived from the input size). The result stays correct.
	maxCost int
	v       []int // scratch for the forward and backward frontiers
}

// compare marks the differences between a[x0:x1] and b[y0:y1].
func (d *differ) compare(x0, x1, y0, y1 int) {
	for x0 < x1 && y0 < y1 && d.a[x0] == d.b[y0] {
		x0, y0 = x0+1, y0+1
	}
	for x0 < x1 && y0 < y1 && d.a[x1-1] == d.b[y1-1] {
		x1, y1 = x1-1, y1-1
	}
	if x0 == x1 || y0 == y1 || d.budget <= 0 {
		d.replace(x0, x1, y0, y1)
		return
	}
	x, y, ok := d.bisect(x0, x1, y0, y1)
	if !ok || (x == x0 && y == y0) || (x == x1 && y == y1) {
		// No split, or one that would not shrink the problem.
		d.replace(x0, x1, y0, y1)
		return
	}
	d.compare(x0, x, y0, y)
	d.compare(x, x1, y, y1)
}

// replace marks a[x0:x1] deleted and b[y0:y1] inserted.
func (d *differ) replace(x0, x1, y0, y1 int) {
	for i := x0; i < x1; i++ {
		d.delA[i] = true
	}
	for j := y0; j < y1; j++ {
		d.insB[j] = true
	}
}

// bisect finds a point (x, y) on an edit path from (x0, y0) to (x1, y1)
// with x0 <= x <= x1, y0 <= y <= y1 and (x, y) neither end, by searching
// from both ends until the paths meet (Myers 1986, section 4b): the path
// through it is optimal unless the search was cut off by maxCost. ok is
// false when no such point was found within the budget.
func (d *differ) bisect(x0, x1, y0, y1 int) (x, y int, ok bool) {
	a, b := d.a[x0:x1], d.b[y0:y1]
	n, m := len(a), len(b)
	maxD := (n + m + 1) / 2
	off := maxD + 1
	size := 2*maxD + 3
	if cap(d.v) < 2*size {
		d.v = make([]int, 2*size)
	}
	v1, v2 := d.v[:size], d.v[size:2*size]
	for i := range v1 {
		v1[i], v2[i] = -1, -1
	}
	v1[off+1], v2[off+1] = 0, 0
	delta := n - m
	front := delta%2 != 0
	limit := d.maxCost
	if limit == 0 {
		limit = max(1024, isqrt(n+m))
	}
	// k1start..: diagonals that ran off the grid are not searched again.
	k1start, k1end, k2start, k2end := 0, 0, 0, 0
	for cost := 0; cost < maxD; cost++ {
		if d.budget <= 0 {
			return 0, 0, false
		}
		if cost > limit {
			return d.furthest(v1, off, cost, k1start, k1end, n, m, x0, y0)
		}
		for k1 := -cost + k1start; k1 <= cost-k1end; k1 += 2 {
			i := off + k1
			var xa int
			if k1 == -cost || (k1 != cost && v1[i-1] < v1[i+1]) {
				xa = v1[i+1]
			} else {
				xa = v1[i-1] + 1
			}
			ya := xa - k1
			s := xa
			for xa < n && ya < m && a[xa] == b[ya] {
				xa, ya = xa+1, ya+1
			}
			d.budget -= 1 + xa - s
			v1[i] = xa
			switch {
			case xa > n:
				k1end += 2
			case ya > m:
				k1start += 2
			case front:
				j := off + delta - k1
				if j >= 0 && j < size && v2[j] != -1 && xa >= n-v2[j] {
					return x0 + xa, y0 + ya, true
				}
			}
		}
		for k2 := -cost + k2start; k2 <= cost-k2end; k2 += 2 {
			i := off + k2
			var xb int
			if k2 == -cost || (k2 != cost && v2[i-1] < v2[i+1]) {
				xb = v2[i+1]
			} else {
				xb = v2[i-1] + 1
			}
			yb := xb - k2
			s := xb
			for xb < n && yb < m && a[n-xb-1] == b[m-yb-1] {
				xb, yb = xb+1, yb+1
			}
			d.budget -= 1 + xb - s
			v2[i] = xb
			switch {
			case xb > n:
				k2end += 2
			case yb > m:
				k2start += 2
			case !front:
				j := off + delta - k2
				if j >= 0 && j < size && v1[j] != -1 {
					xa := v1[j]
					ya := xa - (j - off)
					if xa >= n-xb {
						return x0 + xa, y0 + ya, true
					}
				}
			}
		}
	}
	return 0, 0, false
}

// furthest is the cut-off split: the point of the forward search with the
// largest x+y after cost steps. Everything before it was reached
// optimally; the rest is compared afresh.
func (d *differ) furthest(v1 []int, off, cost, k1start, k1end, n, m, x0, y0 int) (int, int, bool) {
	bx, by := -1, -1
	for k1 := -cost + 1 + k1start; k1 <= cost-1-k1end; k1 += 2 {
		xa := v1[off+k1]
		ya := xa - k1
		if xa < 0 || xa > n || ya < 0 || ya > m {
			continue
		}
		if xa+ya > bx+by {
			bx, by = xa, ya
		}
	}
	if bx+by <= 0 || (bx == n && by == m) {
		return 0, 0, false // no progress: let the caller replace the region
	}
	return x0 + bx, y0 + by, true
}

// isqrt is the integer square root of n >= 0.
func isqrt(n int) int {
	r := 0
	for (r+1)*(r+1) <= n {
		r++
	}
	return r
}
