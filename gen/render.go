package gen

import (
	"bytes"
	"fmt"
	"go/parser"
	"go/token"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/dave/jennifer/jen"

	"github.com/mapgen/mapgen/layout"
)

// A file is rendered in parts. Each declared type (its declaration and
// methods) and its layout proof are a part of their own; the rest of the
// file (aliases, maps, programs, objects, data) is one more. Parts are
// built and formatted by jennifer one at a time, on every core, and joined
// in a fixed order:
//
//	header, package clause, imports
//	each type with its methods                    (declaration order)
//	aliases, maps, programs, objects, data sections
//	the layout proofs of the types, then of the data sections
//
// Formatting the whole file at once (jennifer's File.Render) held the
// jennifer tree and the syntax tree of all of vmlinux (16 MB of Go) in
// memory together, and go/format's cost grew with the file (positions are
// searched in one table of all its lines). A part is a few kilobytes;
// its trees die as soon as it is formatted.

// part is the rendered Go of one declared type.
type part struct {
	decl, proof []byte
	types       []*TypeInfo
	err         error
}

// registry is a jennifer file used only to name imports: jennifer gives a
// package path the same name in every file (the last element of its path,
// or the standard library's name), so the imports of all parts can be
// gathered into the header's file afterwards.
func registry(pkg string) *jen.File {
	return jen.NewFile(pkg)
}

// renderDecls builds and formats every planned declaration in parallel.
// The generator's shared state is read-only from here on: names, member
// names and the paragraphs about namesakes are computed first, in order.
func (g *generator) renderDecls() ([]part, []*jen.File) {
	decls := g.planner.Decls()
	dups := make([][]string, len(decls))
	for i, d := range decls {
		if d.Composite != nil {
			g.membersOf(d)
		}
		dups[i] = g.duplicateDoc(d)
	}
	parts := make([]part, len(decls))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(decls)/64))
	registries := make([]*jen.File, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		reg := registry(g.opts.Package)
		registries[w] = reg
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(decls) {
					return
				}
				parts[i] = g.renderDecl(decls[i], dups[i], reg)
			}
		})
	}
	wg.Wait()
	return parts, registries
}

// renderDecl builds one declaration with a generator of its own (same
// names, its own jennifer files) and formats it.
func (g *generator) renderDecl(d *layout.Decl, dup []string, reg *jen.File) (p part) {
	defer func() {
		// A panic in a worker would end the process before the caller
		// could report it as the bug it is.
		if r := recover(); r != nil {
			p.err = fmt.Errorf("%w: panic: %v", ErrInternal, r)
		}
	}()
	c := *g
	c.f, c.proofs, c.types = jen.NewFile(g.opts.Package), jen.NewFile(g.opts.Package), nil
	switch {
	case d.Composite != nil:
		c.emitCompositeAs(d, describe(d), dup...)
	case d.Enum != nil:
		c.emitEnum(d, dup)
	}
	p.types = c.types
	if p.decl, p.err = renderPart(c.f, reg); p.err != nil {
		return p
	}
	p.proof, p.err = renderPart(c.proofs, reg)
	return p
}

// renderPart formats the items of f, naming imports in reg; nothing for no
// items.
func renderPart(f *jen.File, reg *jen.File) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Group.RenderWithFile(&buf, reg); err != nil {
		// A render error is a bug in mapgen, not in the input: the
		// generated source did not parse.
		return nil, fmt.Errorf("%w: generated Go does not parse: %s", ErrInternal, firstLine(err.Error()))
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}

// importAll names in hdr every import the files of regs named.
func importAll(hdr *jen.File, regs []*jen.File) error {
	for _, reg := range regs {
		var buf bytes.Buffer
		reg.NoFormat = true
		if err := reg.Render(&buf); err != nil {
			return fmt.Errorf("%w: rendering imports: %v", ErrInternal, err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), "", buf.Bytes(), parser.ImportsOnly)
		if err != nil {
			return fmt.Errorf("%w: reading imports: %v", ErrInternal, err)
		}
		for _, spec := range f.Imports {
			path, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return fmt.Errorf("%w: reading imports: %v", ErrInternal, err)
			}
			// Rendering a qualified name is how jennifer learns an
			// import; the output is not needed.
			var discard bytes.Buffer
			if err := jen.Qual(path, "X").RenderWithFile(&discard, hdr); err != nil {
				return fmt.Errorf("%w: import %q: %v", ErrInternal, path, err)
			}
		}
	}
	return nil
}

// join is the parts of a file, each trimmed, separated by a blank line,
// ending with a newline.
func join(parts ...[]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p) + 2
	}
	out := make([]byte, 0, n)
	for _, p := range parts {
		if len(p) == 0 {
			continue
		}
		if len(out) > 0 {
			out = append(out, "\n\n"...)
		}
		out = append(out, p...)
	}
	return append(out, '\n')
}
