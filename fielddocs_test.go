package hcn

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// fieldDocDirs are the library packages whose exported struct fields must
// carry a doc comment.
var fieldDocDirs = []string{".", "hcnsim", "hcntest"}

// TestFieldDocs fails listing every exported field of an exported struct
// type (struct types nested in its fields included) that has neither a
// leading doc comment nor a trailing line comment. Every non-test file is
// read, whatever its build constraints. An embedded field counts as
// documented when its type is documented: a type of the same package must
// have a doc comment; a type of another package is taken as documented.
func TestFieldDocs(t *testing.T) {
	for _, dir := range fieldDocDirs {
		missing, err := undocumentedFields(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range missing {
			t.Errorf("%s has no doc comment", m)
		}
	}
}

// undocumentedFields parses the non-test Go files of dir and returns
// "file:line Type.Field" for each exported field that lacks a comment.
func undocumentedFields(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	documented := documentedTypes(files)
	var missing []string
	for _, f := range files {
		forEachExportedType(f, func(ts *ast.TypeSpec, _ *ast.GenDecl) {
			missing = append(missing, structUndocumentedFields(fset, ts, documented)...)
		})
	}
	return missing, nil
}

// forEachExportedType calls fn for each exported top-level type of f.
func forEachExportedType(f *ast.File, fn func(*ast.TypeSpec, *ast.GenDecl)) {
	for _, decl := range f.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.TYPE {
			continue
		}
		for _, spec := range gen.Specs {
			if ts := spec.(*ast.TypeSpec); ts.Name.IsExported() {
				fn(ts, gen)
			}
		}
	}
}

// documentedTypes returns the exported types of the package that have a doc
// comment (on the spec, or on a declaration holding that spec alone).
func documentedTypes(files []*ast.File) map[string]bool {
	documented := map[string]bool{}
	for _, f := range files {
		forEachExportedType(f, func(ts *ast.TypeSpec, gen *ast.GenDecl) {
			if ts.Doc != nil || (gen.Doc != nil && len(gen.Specs) == 1) {
				documented[ts.Name.Name] = true
			}
		})
	}
	return documented
}

// structUndocumentedFields checks every struct type in the declaration of
// the exported type ts and returns the findings in source order.
func structUndocumentedFields(fset *token.FileSet, ts *ast.TypeSpec, documented map[string]bool) []string {
	type finding struct {
		pos  token.Pos
		name string
	}
	var found []finding
	ast.Inspect(ts.Type, func(n ast.Node) bool {
		st, ok := n.(*ast.StructType)
		if !ok {
			return true
		}
		for _, field := range st.Fields.List {
			if field.Doc != nil || field.Comment != nil {
				continue
			}
			if len(field.Names) == 0 {
				if name, local := embeddedTypeName(field.Type); local && ast.IsExported(name) && !documented[name] {
					found = append(found, finding{field.Pos(), name + " (embedded, type undocumented)"})
				}
				continue
			}
			for _, name := range field.Names {
				if name.IsExported() {
					found = append(found, finding{name.Pos(), name.Name})
				}
			}
		}
		return true
	})
	// A nested struct type is visited after its parent's fields.
	slices.SortStableFunc(found, func(a, b finding) int { return int(a.pos - b.pos) })
	missing := make([]string, len(found))
	for i, f := range found {
		p := fset.Position(f.pos)
		missing[i] = fmt.Sprintf("%s:%d: %s.%s", filepath.ToSlash(p.Filename), p.Line, ts.Name.Name, f.name)
	}
	return missing
}

// embeddedTypeName returns the name of an embedded field's type and
// whether the type belongs to the same package.
func embeddedTypeName(expr ast.Expr) (string, bool) {
	switch e := expr.(type) {
	case *ast.StarExpr:
		return embeddedTypeName(e.X)
	case *ast.IndexExpr:
		return embeddedTypeName(e.X)
	case *ast.IndexListExpr:
		return embeddedTypeName(e.X)
	case *ast.Ident:
		return e.Name, true
	case *ast.SelectorExpr:
		return e.Sel.Name, false
	}
	return "", false
}
