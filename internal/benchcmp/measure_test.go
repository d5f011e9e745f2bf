package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseTimeReport(t *testing.T) {
	const report = `	Command being timed: "mapgen"
	User time (seconds): 2.07
	System time (seconds): 0.34
	Percent of CPU this job got: 123%
	Elapsed (wall clock) time (h:mm:ss or m:ss): 1:01.96
	Maximum resident set size (kbytes): 666424
	Exit status: 0
`
	u, err := parseTimeReport(report)
	if err != nil {
		t.Fatal(err)
	}
	want := usage{cpu: 2410 * time.Millisecond, wall: 61960 * time.Millisecond, peakRSS: 666424 << 10}
	if u != want {
		t.Errorf("got %+v, want %+v", u, want)
	}
	if _, err := parseTimeReport("Command exited with non-zero status 1\n"); err == nil {
		t.Error("a report without figures parsed")
	}
}

func TestMedian(t *testing.T) {
	us := []usage{{cpu: 3, wall: 10, peakRSS: 5}, {cpu: 1, wall: 30, peakRSS: 6}, {cpu: 2, wall: 20, peakRSS: 4}}
	if got, want := median(us), (usage{cpu: 2, wall: 20, peakRSS: 5}); got != want {
		t.Errorf("median of 3: %+v, want %+v", got, want)
	}
	if got, want := median(us[:2]), (usage{cpu: 2, wall: 20, peakRSS: 5}); got != want {
		t.Errorf("median of 2: %+v, want %+v", got, want)
	}
}

// TestBenchTableHeader: the README's table of benchcmp's results names its
// count column as benchcmp does, so that the count is not mistaken for
// what gen's benchmarks count.
func TestBenchTableHeader(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, perf, ok := strings.Cut(string(readme), "\n## Performance\n")
	if !ok {
		t.Fatal("README.md has no Performance section")
	}
	perf, _, _ = strings.Cut(perf, "\n## ")
	want := strings.Split(tableHeader, " | ")[:2]
	for line := range strings.SplitSeq(perf, "\n") {
		if strings.HasPrefix(line, "| input |") {
			if got := strings.Split(line, " | ")[:2]; strings.Join(got, " | ") != strings.Join(want, " | ") {
				t.Errorf("README.md's table starts %q, benchcmp's %q", strings.Join(got, " | "), strings.Join(want, " | "))
			}
			return
		}
	}
	t.Error("README.md's Performance section has no table of benchcmp's results")
}
