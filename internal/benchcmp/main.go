// Command benchcmp compares `mapgen --all-types` with `bpftool btf dump
// file ... format c` as whole processes on the same BTF (the committed
// kernel BTF of internal/benchdata, whole and in fractions), and times a
// cold-cache `go build` of the package mapgen writes for all of it. It
// prints a Markdown table; `make bench` runs it after the Go benchmarks.
//
// Run it from the repository root:
//
//	go run ./internal/benchcmp [-runs 5] [-goarch amd64]
//
// Each figure is the median of -runs runs, the two tools alternating so
// that a change in the machine's load touches both. CPU time (user+system)
// is the figure to compare on a shared machine; wall time needs an idle one.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/mapgen/mapgen/internal/benchdata"
)

func main() {
	runs := flag.Int("runs", 5, "runs of each tool per input; figures are medians")
	goarch := flag.String("goarch", "amd64", "GOARCH of the timed go build of the generated package")
	build := flag.Bool("build", true, "time a cold-cache go build of the generated vmlinux package")
	flag.Parse()
	if err := compare(*runs, *goarch, *build); err != nil {
		fmt.Fprintln(os.Stderr, "benchcmp:", err)
		os.Exit(1)
	}
}

// tableHeader heads the table of results. Its second column says what the
// count of an input is (input.selected), which is neither what
// gen's BenchmarkPlan nor what its BenchmarkGenerate counts.
const tableHeader = "| input | selected named structs, unions, enums and typedefs of them | mapgen CPU | bpftool CPU | CPU ratio | mapgen wall | bpftool wall | wall ratio | mapgen peak RSS | bpftool peak RSS | output mapgen / bpftool |"

// input is one BTF both tools read.
type input struct {
	name string
	file string // base name of its files
	path string
	// selected counts the types the fraction was cut from: the named
	// structs, unions and enums and the typedefs of structs, unions and
	// enums (what --all-types names), not the types they refer to, which
	// the input holds too.
	selected int
}

func compare(runs int, goarch string, build bool) error {
	if runs < 1 {
		return fmt.Errorf("-runs %d: want at least 1", runs)
	}
	for _, c := range []string{timeCmd, "bpftool", "go"} {
		if _, err := exec.LookPath(c); err != nil {
			return fmt.Errorf("%s is needed (make deps installs it): %w", c, err)
		}
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(root, "cmd", "mapgen")); err != nil {
		return fmt.Errorf("run from the repository root: %w", err)
	}
	tmp, err := os.MkdirTemp("", "benchcmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	mapgen := filepath.Join(tmp, "mapgen")
	if out, err := exec.Command("go", "build", "-o", mapgen, "./cmd/mapgen").CombinedOutput(); err != nil {
		return fmt.Errorf("building mapgen: %w\n%s", err, out)
	}
	inputs, err := writeInputs(tmp)
	if err != nil {
		return err
	}

	printMachine()
	fmt.Printf("Whole process, median of %d alternating runs each; output written to a file.\n\n", runs)
	fmt.Println(tableHeader)
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	var full string
	for _, in := range inputs {
		goOut, cOut := filepath.Join(tmp, in.file+".go"), filepath.Join(tmp, in.file+".h")
		var m, b []usage
		for range runs {
			// mapgen leaves an unchanged output alone: start from none.
			os.Remove(goOut)
			u, err := run("", nil, tmp, mapgen, "--all-types", "-p", "vmlinux", "-o", goOut, in.path)
			if err != nil {
				return err
			}
			m = append(m, u)
			if u, err = run(cOut, nil, tmp, "bpftool", "btf", "dump", "file", in.path, "format", "c"); err != nil {
				return err
			}
			b = append(b, u)
		}
		mm, bm := median(m), median(b)
		fmt.Printf("| %s | %d | %s | %s | %.1fx | %s | %s | %.1fx | %s | %s | %s / %s |\n",
			in.name, in.selected, seconds(mm.cpu), seconds(bm.cpu), ratio(mm.cpu, bm.cpu),
			seconds(mm.wall), seconds(bm.wall), ratio(mm.wall, bm.wall),
			mib(mm.peakRSS), mib(bm.peakRSS), fileSize(goOut), fileSize(cOut))
		full = goOut
	}
	fmt.Println()

	if build {
		u, err := coldBuild(root, tmp, full, goarch)
		if err != nil {
			return err
		}
		fmt.Printf("`go build` of the generated package for all of %s, GOARCH=%s, empty GOCACHE (its dependencies built first, not counted): %s CPU, %s wall, %s peak RSS.\n",
			benchdata.VmlinuxName, goarch, seconds(u.cpu), seconds(u.wall), mib(u.peakRSS))
	}
	return nil
}

// writeInputs writes the committed BTF and its fractions into dir.
func writeInputs(dir string) ([]input, error) {
	raw, err := benchdata.Vmlinux()
	if err != nil {
		return nil, err
	}
	var inputs []input
	for _, den := range []int{4, 2, 1} {
		data, n, err := benchdata.Fraction(raw, 1, den)
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("1/%d of vmlinux", den)
		if den == 1 {
			data, name = raw, "all of vmlinux" // the kernel's own bytes
		}
		file := fmt.Sprintf("vmlinux-1of%d", den)
		path := filepath.Join(dir, file+".btf")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, err
		}
		inputs = append(inputs, input{name: name, file: file, path: path, selected: n})
	}
	return inputs, nil
}

func printMachine() {
	fmt.Printf("%s, %s, %d CPUs, %s, %s, %s\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), cpuModel(), runtime.NumCPU(),
		firstLine(output("uname", "-sr")), runtime.Version(), firstLine(output("bpftool", "version")))
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func output(argv ...string) string {
	out, err := exec.Command(argv[0], argv[1:]...).Output()
	if err != nil {
		return argv[0] + ": " + err.Error()
	}
	return string(out)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func ratio(a, b time.Duration) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func fileSize(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "?"
	}
	return fmt.Sprintf("%.1f MB", float64(fi.Size())/1e6)
}
