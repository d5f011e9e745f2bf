package verify

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"
)

// Loaded is the Go packages to verify, type-checked for one GOARCH.
type Loaded struct {
	GOARCH string
	// Sizes are the gc sizes of GOARCH.
	Sizes types.Sizes
	Fset  *token.FileSet
	// Packages are the packages the patterns matched that type-check,
	// sorted by import path.
	Packages []*packages.Package
	// Broken are the packages that do not, by import path, with the first
	// error of each.
	Broken map[string]error
}

// Err returns the error of the first broken package, or nil.
func (l *Loaded) Err() error {
	var paths []string
	for p := range l.Broken {
		paths = append(paths, p)
	}
	if len(paths) == 0 {
		return nil
	}
	sort.Strings(paths)
	return fmt.Errorf("GOARCH=%s: %w", l.GOARCH, l.Broken[paths[0]])
}

// loadMode type-checks the packages and their dependencies from source:
// nothing is compiled, so any GOARCH costs the same.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
	packages.NeedTypesInfo | packages.NeedImports | packages.NeedDeps | packages.NeedModule

// Load loads the packages matching patterns, in directory dir, for
// linux/goarch without cgo. Function bodies are dropped before
// type-checking (layout depends on declarations only), which makes a
// GOARCH cost a fraction of a second. Packages that do not parse or
// whose declarations do not type-check are in Broken (Err names the
// first); an error is returned when nothing can be loaded.
func Load(dir string, patterns []string, goarch string) (*Loaded, error) {
	return load(dir, patterns, goarch, newParseCache())
}

// LoadEach loads the packages for every GOARCH of goarchs, as many at a
// time as there are CPUs, parsing each file once for all of them, and
// calls use with each in the order of goarchs. At most that many loads
// are held at once: a GOARCH's types are dropped after use returns. It
// stops at the first error of a load or of use.
func LoadEach(dir string, patterns []string, goarchs []string, use func(*Loaded) error) error {
	cache := newParseCache()
	type result struct {
		l   *Loaded
		err error
	}
	results := make([]chan result, len(goarchs))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for i, arch := range goarchs {
			select {
			case sem <- struct{}{}:
			case <-stop:
				return
			}
			go func() {
				l, err := load(dir, patterns, arch, cache)
				results[i] <- result{l, err}
			}()
		}
	}()
	for i := range goarchs {
		res := <-results[i]
		err := res.err
		if err == nil {
			err = use(res.l)
		}
		<-sem
		if err != nil {
			return err
		}
	}
	return nil
}

// LoadAll is Load for every GOARCH of goarchs, as many at a time as there
// are CPUs, parsing each file once for all of them.
func LoadAll(dir string, patterns []string, goarchs []string) ([]*Loaded, error) {
	cache := newParseCache()
	out := make([]*Loaded, len(goarchs))
	errs := make([]error, len(goarchs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, arch := range goarchs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i], errs[i] = load(dir, patterns, arch, cache)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

func load(dir string, patterns []string, goarch string, cache *parseCache) (*Loaded, error) {
	sizes := types.SizesFor("gc", goarch)
	if sizes == nil {
		return nil, fmt.Errorf("GOARCH %q: unknown to the gc compiler", goarch)
	}
	cfg := &packages.Config{
		Mode:      loadMode,
		Dir:       dir,
		Fset:      cache.fset,
		Env:       append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "CGO_ENABLED=0"),
		ParseFile: cache.parse,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", strings.Join(patterns, " "), err)
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("%s: no Go package", strings.Join(patterns, " "))
	}
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].PkgPath < pkgs[j].PkgPath })
	l := &Loaded{GOARCH: goarch, Sizes: sizes, Fset: cache.fset, Broken: make(map[string]error)}
	for _, p := range pkgs {
		if excluded(p) {
			// Not built for this GOARCH (a _bpfel.go file on s390x):
			// its types are not there to check.
			continue
		}
		if err := packageError(p); err != nil {
			l.Broken[pkgName(p)] = err
			continue
		}
		l.Packages = append(l.Packages, p)
	}
	return l, nil
}

// parseCache parses each file once for every GOARCH: most files are the
// same for all. go/types only reads syntax trees, so type-checks for
// several GOARCHes share them.
type parseCache struct {
	fset  *token.FileSet
	mu    sync.Mutex
	files map[string]*parsedFile
}

type parsedFile struct {
	once sync.Once
	src  []byte
	f    *ast.File
	err  error
}

func newParseCache() *parseCache {
	return &parseCache{fset: token.NewFileSet(), files: make(map[string]*parsedFile)}
}

// parse parses a file without its function bodies (layout depends on
// declarations only), or returns the tree parsed before from the same
// source.
func (c *parseCache) parse(_ *token.FileSet, filename string, src []byte) (*ast.File, error) {
	c.mu.Lock()
	p := c.files[filename]
	if p == nil {
		p = &parsedFile{}
		c.files[filename] = p
	}
	c.mu.Unlock()
	p.once.Do(func() {
		p.src = src
		p.f, p.err = parseDeclarations(c.fset, filename, src)
	})
	if !bytes.Equal(p.src, src) {
		// Changed under a concurrent parse: parse this source alone.
		return parseDeclarations(c.fset, filename, src)
	}
	return p.f, p.err
}

// parseDeclarations parses a file and drops its function bodies.
func parseDeclarations(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
	f, err := parser.ParseFile(fset, filename, src, parser.ParseComments|parser.SkipObjectResolution)
	if f != nil {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				fd.Body = nil
			}
		}
	}
	return f, err
}

// excluded reports whether build constraints leave no file of p for the
// GOARCH it was loaded for.
func excluded(p *packages.Package) bool {
	for _, e := range p.Errors {
		if e.Kind == packages.ListError && strings.Contains(e.Msg, "build constraints exclude all Go files") {
			return true
		}
	}
	return false
}

// packageError returns the first error that keeps a package from being
// verified. Soft type errors (unused imports and variables, which the
// dropped function bodies cause) do not count, and neither do errors in
// dependencies that leave the package's own types complete.
func packageError(p *packages.Package) error {
	for _, e := range p.Errors {
		if e.Kind == packages.TypeError {
			continue // in TypeErrors, with their Soft flag
		}
		return fmt.Errorf("package %s: %s", pkgName(p), e)
	}
	for _, e := range p.TypeErrors {
		if !e.Soft {
			return fmt.Errorf("package %s: %s: %s", pkgName(p), e.Fset.Position(e.Pos), e.Msg)
		}
	}
	if p.Types == nil {
		return fmt.Errorf("package %s: %w", pkgName(p), errors.New("not type-checked"))
	}
	return nil
}

func pkgName(p *packages.Package) string {
	if p.PkgPath != "" {
		return p.PkgPath
	}
	return p.ID
}
