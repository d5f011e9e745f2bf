package gentest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Type-checking generated packages for any GOARCH without the compiler.
//
// go/types, given the gc sizes of a GOARCH, evaluates unsafe.Sizeof and
// unsafe.Offsetof as the compiler does, so it checks the layout proofs of a
// generated file for that GOARCH without compiling anything. Loading with
// golang.org/x/tools/go/packages would either compile every dependency for
// every GOARCH to get export data (and the generated packages themselves,
// which live in a new directory every run and so never hit the build
// cache), or type-check every dependency's function bodies.
// [TypeCheck] type-checks the dependencies from source without function
// bodies (their declarations are all the generated code can see), and the
// packages asked for in full. Parsed files are shared by all calls of a
// test process: most files are the same for every GOARCH.

// Package is a type-checked package.
type Package struct {
	Path  string
	Name  string
	Types *types.Package
	Sizes types.Sizes
	// Errors are the type errors of the package, in order.
	Errors []error
}

// listed is the part of `go list -json` TypeCheck needs.
type listed struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
	ImportMap  map[string]string
	DepOnly    bool
	Module     *struct{ GoVersion string }
	Error      *struct{ Err string }
}

// Fset holds the positions of every file TypeCheck parsed.
var Fset = token.NewFileSet()

var parsed sync.Map // file path -> *parsedFile

type parsedFile struct {
	once sync.Once
	f    *ast.File
	err  error
}

// forgetParsed drops the parsed files under dir (a temporary module that
// is going away).
func forgetParsed(dir string) {
	prefix := dir + string(filepath.Separator)
	parsed.Range(func(k, _ any) bool {
		if strings.HasPrefix(k.(string), prefix) {
			parsed.Delete(k)
		}
		return true
	})
}

func parseFile(path string) (*ast.File, error) {
	v, _ := parsed.LoadOrStore(path, new(parsedFile))
	p := v.(*parsedFile)
	p.once.Do(func() {
		p.f, p.err = parser.ParseFile(Fset, path, nil, parser.SkipObjectResolution)
	})
	return p.f, p.err
}

// TypeCheck type-checks the packages matching patterns in the module
// directory dir for linux/goarch (without cgo), with every package they
// import, and returns them by import path. Errors in the packages asked for
// are in their Errors; an error in a dependency, or one that prevents
// loading, is returned.
func TypeCheck(dir, goarch string, patterns ...string) (map[string]*Package, error) {
	sizes := types.SizesFor("gc", goarch)
	if sizes == nil {
		return nil, fmt.Errorf("no gc sizes for GOARCH=%s", goarch)
	}
	pkgs, err := goList(dir, goarch, patterns)
	if err != nil {
		return nil, err
	}

	// Type-check in dependency order, as many at a time as there are
	// CPUs: each package waits for its imports.
	type node struct {
		*listed
		done chan struct{}
		pkg  *Package
		err  error
	}
	nodes := make(map[string]*node, len(pkgs))
	for _, p := range pkgs {
		nodes[p.ImportPath] = &node{listed: p, done: make(chan struct{})}
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Go(func() {
			defer close(n.done)
			if n.Error != nil {
				n.err = fmt.Errorf("package %s: %s", n.ImportPath, n.Error.Err)
				return
			}
			imports := make(map[string]*types.Package, len(n.Imports))
			for _, imp := range n.Imports {
				if imp == "unsafe" {
					imports[imp] = types.Unsafe
					continue
				}
				dep := nodes[imp]
				if dep == nil {
					n.err = fmt.Errorf("package %s: import %s not listed", n.ImportPath, imp)
					return
				}
				<-dep.done
				if dep.err != nil {
					n.err = dep.err
					return
				}
				imports[imp] = dep.pkg.Types
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			n.pkg, n.err = check(n.listed, imports, sizes)
		})
	}
	wg.Wait()

	out := make(map[string]*Package)
	var errs []error
	for _, n := range nodes {
		switch {
		case n.err != nil:
			errs = append(errs, n.err)
		case !n.DepOnly:
			out[n.ImportPath] = n.pkg
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("GOARCH=%s: %w", goarch, errors.Join(errs...))
	}
	return out, nil
}

// check type-checks one listed package; imports are its imports, by the
// paths its files use.
func check(p *listed, imports map[string]*types.Package, sizes types.Sizes) (*Package, error) {
	files := make([]*ast.File, len(p.GoFiles))
	for i, name := range p.GoFiles {
		f, err := parseFile(filepath.Join(p.Dir, name))
		if err != nil {
			return nil, fmt.Errorf("package %s: %w", p.ImportPath, err)
		}
		files[i] = f
	}
	pkg := &Package{Path: p.ImportPath, Sizes: sizes}
	conf := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if mapped, ok := p.ImportMap[path]; ok {
				path = mapped
			}
			if t := imports[path]; t != nil {
				return t, nil
			}
			return nil, fmt.Errorf("%s imports %s, which go list did not list", p.ImportPath, path)
		}),
		// Dependencies contribute declarations only.
		IgnoreFuncBodies: p.DepOnly,
		Sizes:            sizes,
		Error:            func(err error) { pkg.Errors = append(pkg.Errors, err) },
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		conf.GoVersion = "go" + p.Module.GoVersion
	}
	t, _ := conf.Check(p.ImportPath, Fset, files, nil)
	pkg.Types, pkg.Name = t, t.Name()
	if p.DepOnly && len(pkg.Errors) > 0 {
		return nil, fmt.Errorf("dependency %s does not type-check: %w", p.ImportPath, errors.Join(pkg.Errors...))
	}
	return pkg, nil
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// goList lists the packages matching patterns and their dependencies.
func goList(dir, goarch string, patterns []string) ([]*listed, error) {
	args := append([]string{"list", "-e", "-deps", "-json=ImportPath,Dir,GoFiles,Imports,ImportMap,DepOnly,Module,Error"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOWORK=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("GOARCH=%s go %s: %v\n%s", goarch, strings.Join(args, " "), err, stderr.Bytes())
	}
	var pkgs []*listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := new(listed)
		if err := dec.Decode(p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list output: %w", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}
