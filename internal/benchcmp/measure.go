package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// timeCmd is GNU time, whose -v report gives the CPU time, wall time and
// peak resident set size of a whole process (Debian package `time`).
const timeCmd = "/usr/bin/time"

// usage is what one run of a command cost.
type usage struct {
	cpu, wall time.Duration
	// peakRSS is the maximum resident set size in bytes.
	peakRSS int64
}

// run runs argv under /usr/bin/time -v with stdout to the file stdout
// ("" for none) and returns what it cost.
func run(stdout string, env []string, dir string, argv ...string) (usage, error) {
	cmd := exec.Command(timeCmd, append([]string{"-v"}, argv...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var report bytes.Buffer
	cmd.Stderr = &report
	if stdout != "" {
		f, err := os.Create(stdout)
		if err != nil {
			return usage{}, err
		}
		defer f.Close()
		cmd.Stdout = f
	}
	if err := cmd.Run(); err != nil {
		return usage{}, fmt.Errorf("%s: %w\n%s", strings.Join(argv, " "), err, report.String())
	}
	u, err := parseTimeReport(report.String())
	if err != nil {
		return usage{}, fmt.Errorf("%s: %w", strings.Join(argv, " "), err)
	}
	return u, nil
}

// parseTimeReport reads the lines of GNU time's -v report that matter:
//
//	User time (seconds): 2.07
//	System time (seconds): 0.34
//	Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.96
//	Maximum resident set size (kbytes): 666424
func parseTimeReport(report string) (usage, error) {
	var u usage
	var seen int
	sc := bufio.NewScanner(strings.NewReader(report))
	for sc.Scan() {
		key, value, ok := strings.Cut(strings.TrimSpace(sc.Text()), "): ")
		if !ok {
			continue
		}
		switch key {
		case "User time (seconds", "System time (seconds":
			s, err := strconv.ParseFloat(value, 64)
			if err != nil {
				return u, fmt.Errorf("time report: %q: %w", sc.Text(), err)
			}
			u.cpu += time.Duration(math.Round(s*1000)) * time.Millisecond
			seen++
		case "Elapsed (wall clock) time (h:mm:ss or m:ss":
			d, err := parseClock(value)
			if err != nil {
				return u, fmt.Errorf("time report: %q: %w", sc.Text(), err)
			}
			u.wall = d
			seen++
		case "Maximum resident set size (kbytes":
			kb, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				return u, fmt.Errorf("time report: %q: %w", sc.Text(), err)
			}
			u.peakRSS = kb << 10
			seen++
		}
	}
	if seen != 4 {
		return u, fmt.Errorf("time report lacks user, system, elapsed time or maximum RSS:\n%s", report)
	}
	return u, nil
}

// parseClock reads h:mm:ss or m:ss.ss.
func parseClock(s string) (time.Duration, error) {
	var total float64
	for part := range strings.SplitSeq(s, ":") {
		v, err := strconv.ParseFloat(part, 64)
		if err != nil {
			return 0, err
		}
		total = total*60 + v
	}
	return time.Duration(math.Round(total*1000)) * time.Millisecond, nil
}

// median is the median of each figure of us, taken separately.
func median(us []usage) usage {
	pick := func(f func(usage) int64) int64 {
		v := make([]int64, len(us))
		for i, u := range us {
			v[i] = f(u)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	return usage{
		cpu:     time.Duration(pick(func(u usage) int64 { return int64(u.cpu) })),
		wall:    time.Duration(pick(func(u usage) int64 { return int64(u.wall) })),
		peakRSS: pick(func(u usage) int64 { return u.peakRSS }),
	}
}
