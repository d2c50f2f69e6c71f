package goprog

import (
	"embed"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"slices"
	"sync"

	"golang.org/x/tools/go/ssa"

	"github.com/gohttpsim/gohttpsim/model/goprog/exportdata"
)

// BurnPath is the import path of the Burn helper package.
const BurnPath = "github.com/gohttpsim/gohttpsim/model/goprog/burn"

// Error is a compile error: a parse or type error as go/types spells it,
// or "file:line:col: unsupported: WHAT".
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// Program is a compiled program, shared by all its goroutines and runs.
type Program struct {
	fset          *token.FileSet
	ssa           *ssa.Program
	main          *ssa.Package
	types         typeTable
	funcs         map[*ssa.Function]*function
	gIndex        map[*ssa.Global]int32 // package variables: index into a run's cells
	gList         []*ssa.Global
	mu            sync.Mutex // guards lazy compilation when runs share the Program
	tramps        map[trampKey]*function
	srcPkgs       []*ssa.Package // library packages interpreted from source
	impl          map[[2]*rtype]bool
	rtErr         *rtype
	errTypes      map[string]*rtype
	ctxT          *rtype
	bgCtx         *ctxObj
	ctxCanceled   value
	ctxDeadline   value
	nativeGlobals map[string]value
	errT          *rtype // the error interface
	strT          *rtype // string
}

// stdImporter imports the standard packages (and builds package burn) for
// every program compiled with it, so the types it returns are shared; it
// is guarded because programs may be compiled concurrently.
type stdImporter struct {
	mu   sync.Mutex
	imp  types.Importer // nil until first use
	fsys fs.FS          // export data (gcexportdata files), or nil: GOROOT's
	burn *types.Package
}

// defaultStd imports from the export data embedded in this build
// (exportdata.FS, the playground module) when there is some, else from
// GOROOT's: go/importer's gc importer reads the export data `go list
// -export` writes, and is slow, hence shared.
var defaultStd = &stdImporter{fsys: exportdata.FS()}

func (s *stdImporter) Import(path string) (*types.Package, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.imp == nil {
		if s.fsys != nil {
			s.imp = newExportImporter(s.fsys)
		} else {
			s.imp = importer.ForCompiler(token.NewFileSet(), "gc", nil)
		}
	}
	if path == BurnPath {
		return s.burnPackage()
	}
	if !supportedImport[path] {
		return nil, fmt.Errorf("unsupported import %q", path)
	}
	return s.imp.Import(path)
}

// srcPackages are library packages simulated by Go source that the
// interpreter runs (libsrc/*.go.src).
//
//go:embed libsrc/*.go.src
var libsrc embed.FS

var srcPackages = map[string]string{
	"golang.org/x/sync/errgroup":  "libsrc/errgroup.go.src",
	"golang.org/x/sync/semaphore": "libsrc/semaphore.go.src",
}

// srcPkg is a source package type-checked for one program.
type srcPkg struct {
	files []*ast.File
	info  *types.Info
}

type progImporter struct {
	fset *token.FileSet
	src  map[*types.Package]*srcPkg
	pkgs map[string]*types.Package
	std  *stdImporter
}

func newInfo() *types.Info {
	return &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Instances:    map[*ast.Ident]types.Instance{},
		Scopes:       map[ast.Node]*types.Scope{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		FileVersions: map[*ast.File]string{},
	}
}

func (p progImporter) Import(path string) (*types.Package, error) {
	if name, ok := srcPackages[path]; ok {
		if pkg, ok := p.pkgs[path]; ok {
			return pkg, nil
		}
		src, err := libsrc.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(p.fset, path+".go", src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		info := newInfo()
		conf := types.Config{Importer: p}
		pkg, err := conf.Check(path, p.fset, []*ast.File{f}, info)
		if err != nil {
			return nil, err
		}
		p.pkgs[path] = pkg
		p.src[pkg] = &srcPkg{files: []*ast.File{f}, info: info}
		return pkg, nil
	}
	return p.std.Import(path)
}

// supportedImport lists the packages a program may import.
var supportedImport = map[string]bool{
	"fmt": true, "errors": true, "strings": true, "strconv": true, "sort": true, "slices": true, "maps": true,
	"math": true, "math/rand": true, "math/rand/v2": true, "time": true, "sync": true, "sync/atomic": true,
	"context": true, "os": true, "runtime": true, "unicode": true, "unicode/utf8": true, "cmp": true,
	"golang.org/x/sync/errgroup": true, "golang.org/x/sync/semaphore": true, "iter": true, "bytes": true,
}

// StdImports returns the standard packages a program may import (sorted):
// the ones whose type information comes from export data.
func StdImports() []string {
	var l []string
	for p := range supportedImport {
		if _, ok := srcPackages[p]; !ok {
			l = append(l, p)
		}
	}
	slices.Sort(l)
	return l
}

// burnPackage builds package burn's types (func Burn(d time.Duration)).
func (s *stdImporter) burnPackage() (*types.Package, error) {
	if s.burn != nil {
		return s.burn, nil
	}
	tp, err := s.imp.Import("time")
	if err != nil {
		return nil, err
	}
	pkg := types.NewPackage(BurnPath, "burn")
	d := tp.Scope().Lookup("Duration").Type()
	sig := types.NewSignatureType(nil, nil, nil, types.NewTuple(types.NewVar(token.NoPos, pkg, "d", d)), nil, false)
	pkg.Scope().Insert(types.NewFunc(token.NoPos, pkg, "Burn", sig))
	pkg.SetImports([]*types.Package{tp})
	pkg.MarkComplete()
	s.burn = pkg
	return pkg, nil
}

// CompileOptions configures [CompileWith].
type CompileOptions struct {
	// ExportData, if non-nil, holds the type information of the standard
	// packages as gcexportdata files named by exportdata.FileName, read
	// instead of GOROOT's export data (or the build's embedded one).
	ExportData fs.FS
}

// Compile parses and type-checks the Go source src (named filename),
// builds its SSA form (golang.org/x/tools/go/ssa, generics instantiated)
// and prepares it for [Run]. Functions are translated to the interpreter's
// instruction form lazily, on first call. The supported language and
// library are listed in doc.go; a construct outside them is an *Error
// "file:line:col: unsupported: WHAT".
func Compile(filename string, src []byte) (prog *Program, err error) {
	return CompileWith(filename, src, CompileOptions{})
}

// CompileWith is [Compile] with options.
func CompileWith(filename string, src []byte, opt CompileOptions) (prog *Program, err error) {
	std := defaultStd
	if opt.ExportData != nil {
		std = &stdImporter{fsys: opt.ExportData}
	}
	fset := token.NewFileSet()
	f, perr := parser.ParseFile(fset, filename, src, parser.SkipObjectResolution|parser.ParseComments)
	if perr != nil {
		return nil, &Error{perr.Error()}
	}
	if f.Name.Name != "main" {
		return nil, unsupported(fset, f.Name.Pos(), "package %s (only package main)", f.Name.Name)
	}
	for _, imp := range f.Imports {
		path := imp.Path.Value[1 : len(imp.Path.Value)-1]
		if path != BurnPath && !supportedImport[path] {
			return nil, unsupported(fset, imp.Pos(), "import %q", path)
		}
	}
	imp := progImporter{fset: fset, src: map[*types.Package]*srcPkg{}, pkgs: map[string]*types.Package{}, std: std}
	conf := types.Config{Importer: imp}
	info := newInfo()
	pkg, terr := conf.Check("main", fset, []*ast.File{f}, info)
	if terr != nil {
		return nil, &Error{terr.Error()}
	}
	sp := ssa.NewProgram(fset, ssa.InstantiateGenerics)
	created := map[*types.Package]bool{}
	var srcPkgs []*ssa.Package
	var create func(p *types.Package)
	create = func(p *types.Package) {
		if created[p] {
			return
		}
		created[p] = true
		for _, q := range p.Imports() {
			create(q)
		}
		if s := imp.src[p]; s != nil {
			srcPkgs = append(srcPkgs, sp.CreatePackage(p, s.files, s.info, false))
			return
		}
		sp.CreatePackage(p, nil, nil, true)
	}
	for _, q := range pkg.Imports() {
		create(q)
	}
	mainPkg := sp.CreatePackage(pkg, []*ast.File{f}, info, false)
	sp.Build()
	p := &Program{fset: fset, ssa: sp, main: mainPkg, srcPkgs: srcPkgs, funcs: map[*ssa.Function]*function{}, gIndex: map[*ssa.Global]int32{}}
	p.errT = p.types.rt(types.Universe.Lookup("error").Type())
	p.bgCtx = &ctxObj{}
	p.ctxCanceled = value{r: &iface{t: p.nativeErrType("*errors.errorString"), v: value{r: &errObj{msg: "context canceled"}}}}
	p.ctxDeadline = value{r: &iface{t: p.nativeErrType("context.deadlineExceededError"), v: value{r: &errObj{msg: "context deadline exceeded"}}}}
	p.nativeGlobals = map[string]value{"context.Canceled": p.ctxCanceled, "context.DeadlineExceeded": p.ctxDeadline}
	p.strT = p.types.rt(types.Typ[types.String])
	if mainPkg.Func("main") == nil {
		return nil, unsupported(fset, f.Pos(), "no func main")
	}
	// Translate every function reachable from main now, so that
	// unsupported constructs are reported before the run starts.
	defer func() {
		if x := recover(); x != nil {
			e, ok := x.(*Error)
			if !ok {
				panic(x)
			}
			prog, err = nil, e
		}
	}()
	p.translateAll()
	return p, nil
}

func unsupported(fset *token.FileSet, pos token.Pos, format string, args ...any) *Error {
	pp := fset.Position(pos)
	return &Error{fmt.Sprintf("%s:%d:%d: unsupported: %s", pp.Filename, pp.Line, pp.Column, fmt.Sprintf(format, args...))}
}

func (p *Program) implCache(k [2]*rtype) (bool, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, ok := p.impl[k]
	return v, ok
}

func (p *Program) setImpl(k [2]*rtype, v bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.impl == nil {
		p.impl = map[[2]*rtype]bool{}
	}
	p.impl[k] = v
}
