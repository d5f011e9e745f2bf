// Command testrun runs `go test -json` and prints what runs as it goes:
// each package as it finishes, with its slow top-level tests and every
// skip (with its reason); every failing test with its full output; a line
// about the tests still running every minute; and, at the end, the slowest
// tests and the CPU time the run took. It exits with go test's exit status.
//
// Usage (from the Makefile):
//
//	go run ./internal/testrun [-slow 5s] -- go test -json [flags] [packages]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Time        time.Time
	Action      string
	Package     string
	Test        string
	Elapsed     float64 // seconds
	Output      string
	ImportPath  string // build-output, build-fail
	FailedBuild string
}

func main() {
	slow := flag.Duration("slow", 5*time.Second, "list top-level tests that take at least this long")
	tick := flag.Duration("tick", time.Minute, "how often to list the tests still running (0: never)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: testrun [-slow D] [-tick D] -- go test -json [flags] [packages]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	cmd := exec.Command(flag.Arg(0), flag.Args()[1:]...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, "testrun:", err)
		os.Exit(2)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "testrun:", err)
		os.Exit(2)
	}
	r := newReport(os.Stdout, *slow)
	done := make(chan struct{})
	if *tick > 0 {
		go func() {
			t := time.NewTicker(*tick)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case now := <-t.C:
					r.running(now)
				}
			}
		}()
	}
	r.read(stdout)
	err = cmd.Wait()
	close(done)
	r.summary(time.Since(start), cmd.ProcessState)
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			os.Exit(ee.ExitCode())
		}
		fmt.Fprintln(os.Stderr, "testrun:", err)
		os.Exit(2)
	}
}

// test is one test (top-level or subtest) with its output.
type test struct {
	pkg, name string
	started   time.Time
	elapsed   float64
	action    string // pass, fail, skip; "" while running
}

// pkgState is what is known of one package.
type pkgState struct {
	output  []event          // all output events, in order
	printed []bool           // output[i] was printed with a failure
	tests   map[string]*test // by test name
	order   []*test          // top-level tests in start order
}

type report struct {
	w    io.Writer
	slow time.Duration

	mu     sync.Mutex
	pkgs   map[string]*pkgState
	builds map[string][]string // build output by import path
	done   []*test             // finished top-level tests
	failed []string            // failing tests and packages
}

func newReport(w io.Writer, slow time.Duration) *report {
	return &report{w: w, slow: slow, pkgs: map[string]*pkgState{}, builds: map[string][]string{}}
}

func (r *report) pkg(name string) *pkgState {
	p := r.pkgs[name]
	if p == nil {
		p = &pkgState{tests: map[string]*test{}}
		r.pkgs[name] = p
	}
	return p
}

func (r *report) read(in io.Reader) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			// Not an event (go test writes some errors as plain text).
			r.mu.Lock()
			fmt.Fprintf(r.w, "%s\n", line)
			r.mu.Unlock()
			continue
		}
		r.mu.Lock()
		r.event(e)
		r.mu.Unlock()
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "testrun: reading go test output:", err)
	}
}

func (r *report) event(e event) {
	switch e.Action {
	case "build-output":
		r.builds[e.ImportPath] = append(r.builds[e.ImportPath], e.Output)
		return
	case "build-fail":
		fmt.Fprintf(r.w, "FAIL build %s\n%s", e.ImportPath, strings.Join(r.builds[e.ImportPath], ""))
		r.failed = append(r.failed, "build "+e.ImportPath)
		return
	}
	if e.Package == "" {
		return
	}
	p := r.pkg(e.Package)
	if e.Test == "" {
		switch e.Action {
		case "start":
			fmt.Fprintf(r.w, "run  %s\n", shortPkg(e.Package))
		case "output":
			p.output = append(p.output, e)
			p.printed = append(p.printed, false)
		case "pass", "fail", "skip":
			r.packageDone(e, p)
		}
		return
	}
	t := p.tests[e.Test]
	if t == nil {
		t = &test{pkg: e.Package, name: e.Test, started: e.Time}
		p.tests[e.Test] = t
		if !strings.Contains(e.Test, "/") {
			p.order = append(p.order, t)
		}
	}
	switch e.Action {
	case "output":
		p.output = append(p.output, e)
		p.printed = append(p.printed, false)
	case "pass", "fail", "skip":
		// A test's Elapsed leaves out its parallel subtests, which
		// run after its function returns; it ends after them.
		t.action, t.elapsed = e.Action, max(e.Elapsed, e.Time.Sub(t.started).Seconds())
		if !strings.Contains(e.Test, "/") {
			r.done = append(r.done, t)
		}
		switch e.Action {
		case "fail":
			// Subtests finish before their parents: a failing
			// subtest prints its output, its parent the rest.
			r.failed = append(r.failed, shortPkg(e.Package)+"."+e.Test)
			fmt.Fprintf(r.w, "--- FAIL %s %s (%.1fs); its output:\n%s", shortPkg(e.Package), e.Test, t.elapsed, outputOf(p, e.Test))
		case "skip":
			fmt.Fprintf(r.w, "    SKIP %s %s: %s\n", shortPkg(e.Package), e.Test, skipReason(p, e.Test))
		}
	}
}

// outputOf is the output of test name and its subtests, in order, that
// was not printed with the failure of a subtest; it marks it printed.
func outputOf(p *pkgState, name string) string {
	var b strings.Builder
	for i, e := range p.output {
		if !p.printed[i] && (e.Test == name || strings.HasPrefix(e.Test, name+"/")) {
			b.WriteString(e.Output)
			p.printed[i] = true
		}
	}
	return b.String()
}

// skipReason is the message a test skipped with: its output lines other
// than the === and --- framing, joined.
func skipReason(p *pkgState, name string) string {
	var lines []string
	for _, e := range p.output {
		if e.Test != name {
			continue
		}
		l := strings.TrimSpace(e.Output)
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- ") {
			continue
		}
		lines = append(lines, l)
	}
	if len(lines) == 0 {
		return "(no reason given)"
	}
	return strings.Join(lines, " / ")
}

func (r *report) packageDone(e event, p *pkgState) {
	name := shortPkg(e.Package)
	switch {
	case e.Action == "skip" || (e.Action == "pass" && len(p.order) == 0 && !hasOutput(p, "ok")):
		fmt.Fprintf(r.w, "?    %s (no tests)\n", name)
		return
	case e.Action == "fail":
		fmt.Fprintf(r.w, "FAIL %s %.1fs\n", name, e.Elapsed)
		// Output outside any test (a panic, TestMain), without go
		// test's own summary lines.
		var b strings.Builder
		for _, o := range p.output {
			if o.Test == "" && !summaryLine(o.Output, e.Package) {
				b.WriteString(o.Output)
			}
		}
		if b.Len() > 0 {
			fmt.Fprint(r.w, b.String())
		}
		r.failed = append(r.failed, name)
	default:
		fmt.Fprintf(r.w, "ok   %s %.1fs\n", name, e.Elapsed)
	}
	for _, t := range p.order {
		if t.action == "" {
			fmt.Fprintf(r.w, "     %-40s did not finish\n", t.name)
		} else if time.Duration(t.elapsed*float64(time.Second)) >= r.slow {
			fmt.Fprintf(r.w, "     %-40s %6.1fs\n", t.name, t.elapsed)
		}
	}
}

// summaryLine reports whether line is one go test prints for every
// package: PASS, FAIL, "ok pkg", "FAIL pkg ...".
func summaryLine(line, pkg string) bool {
	f := strings.Fields(line)
	switch {
	case len(f) == 1:
		return f[0] == "PASS" || f[0] == "FAIL"
	case len(f) >= 2:
		return (f[0] == "ok" || f[0] == "FAIL") && f[1] == pkg
	}
	return false
}

func hasOutput(p *pkgState, prefix string) bool {
	for _, o := range p.output {
		if o.Test == "" && strings.HasPrefix(o.Output, prefix) {
			return true
		}
	}
	return false
}

// running lists the top-level tests still running.
func (r *report) running(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var parts []string
	names := make([]string, 0, len(r.pkgs))
	for n := range r.pkgs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, t := range r.pkgs[n].order {
			if t.action == "" {
				parts = append(parts, fmt.Sprintf("%s.%s (%s)", shortPkg(n), t.name, now.Sub(t.started).Round(time.Second)))
			}
		}
	}
	if len(parts) > 0 {
		fmt.Fprintf(r.w, "     running: %s\n", strings.Join(parts, ", "))
	}
}

func (r *report) summary(wall time.Duration, ps *os.ProcessState) {
	r.mu.Lock()
	defer r.mu.Unlock()
	sort.SliceStable(r.done, func(i, j int) bool { return r.done[i].elapsed > r.done[j].elapsed })
	fmt.Fprintf(r.w, "\nslowest tests:\n")
	for _, t := range r.done[:min(10, len(r.done))] {
		fmt.Fprintf(r.w, "  %6.1fs %s %s.%s\n", t.elapsed, strings.ToUpper(t.action), shortPkg(t.pkg), t.name)
	}
	cpu := ""
	if ps != nil {
		cpu = fmt.Sprintf(", CPU %s user + %s sys", ps.UserTime().Round(time.Second), ps.SystemTime().Round(time.Second))
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > 0 {
			cpu += fmt.Sprintf(", max RSS %d MiB", ru.Maxrss/1024)
		}
	}
	fmt.Fprintf(r.w, "go test: %s wall%s\n", wall.Round(time.Second), cpu)
	if len(r.failed) > 0 {
		fmt.Fprintf(r.w, "FAILED: %s\n", strings.Join(r.failed, ", "))
	}
}

// shortPkg drops the module path.
func shortPkg(p string) string {
	if s, ok := strings.CutPrefix(p, "github.com/mapgen/mapgen/"); ok {
		return s
	}
	return p
}
