package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestReport: a go test -json stream with a pass, a skip, a failing
// subtest, a package that fails outside its tests and a build failure
// prints each as it ends: failures with their whole output, skips with
// their reason, and every failure in the list the summary uses.
func TestReport(t *testing.T) {
	const pkg = "github.com/mapgen/mapgen/gen"
	stream := strings.Join([]string{
		`{"Action":"start","Package":"` + pkg + `"}`,
		`{"Action":"run","Package":"` + pkg + `","Test":"TestSlow"}`,
		`{"Action":"output","Package":"` + pkg + `","Test":"TestSlow","Output":"=== RUN   TestSlow\n"}`,
		`{"Action":"pass","Package":"` + pkg + `","Test":"TestSlow","Elapsed":7}`,
		`{"Action":"run","Package":"` + pkg + `","Test":"TestSkip"}`,
		`{"Action":"output","Package":"` + pkg + `","Test":"TestSkip","Output":"    x_test.go:9: no kernel BTF\n"}`,
		`{"Action":"skip","Package":"` + pkg + `","Test":"TestSkip","Elapsed":0}`,
		`{"Action":"run","Package":"` + pkg + `","Test":"TestBad"}`,
		`{"Action":"run","Package":"` + pkg + `","Test":"TestBad/sub"}`,
		`{"Action":"output","Package":"` + pkg + `","Test":"TestBad/sub","Output":"    x_test.go:20: got 1, want 2\n"}`,
		`{"Action":"fail","Package":"` + pkg + `","Test":"TestBad/sub","Elapsed":0.1}`,
		`{"Action":"fail","Package":"` + pkg + `","Test":"TestBad","Elapsed":0.1}`,
		`{"Action":"output","Package":"` + pkg + `","Output":"panic: in TestMain\n"}`,
		`{"Action":"output","Package":"` + pkg + `","Output":"FAIL\n"}`,
		`{"Action":"fail","Package":"` + pkg + `","Elapsed":8}`,
		`{"ImportPath":"example.com/broken","Action":"build-output","Output":"x.go:1: syntax error\n"}`,
		`{"ImportPath":"example.com/broken","Action":"build-fail"}`,
		`not json: a line go test printed itself`,
	}, "\n") + "\n"
	var out bytes.Buffer
	r := newReport(&out, 5*time.Second)
	r.read(strings.NewReader(stream))
	got := out.String()
	for _, want := range []string{
		"run  gen\n",
		"    SKIP gen TestSkip: x_test.go:9: no kernel BTF\n",
		"--- FAIL gen TestBad/sub (0.1s); its output:\n    x_test.go:20: got 1, want 2\n",
		"FAIL gen 8.0s\npanic: in TestMain\n",
		"     TestSlow                                    7.0s\n",
		"FAIL build example.com/broken\nx.go:1: syntax error\n",
		"not json: a line go test printed itself\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "got 1, want 2") != 1 {
		t.Errorf("a subtest's failure printed more or less than once:\n%s", got)
	}
	want := []string{"gen.TestBad/sub", "gen.TestBad", "gen", "build example.com/broken"}
	if !slices.Equal(r.failed, want) {
		t.Errorf("failed = %q, want %q", r.failed, want)
	}
}
