package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// allowedImports lists, for every package of the module, the module's
// packages it may import (non-test files). It is the architecture written
// down: cmd and wasm → viz → model → sim; sim is the kernel and the
// model-free machinery around it; a model imports the models it is built
// on. A new edge fails TestImportTable until it is added here on purpose.
var allowedImports = map[string][]string{
	// The kernel and the generic machinery: no model.
	"sim":            {"sim/container"},
	"sim/container":  {},
	"sim/dist":       {},
	"sim/stats":      {"sim"},
	"sim/simbench":   {"sim"},
	"sim/scenario":   {"sim", "sim/dist", "sim/stats"},
	"sim/experiment": {"sim", "sim/dist", "sim/scenario", "sim/stats"},

	// Models: each on the kernel and the models beneath it.
	"model/host":              {"sim", "sim/container"},
	"model/gmp":               {"model/host", "sim", "sim/container", "sim/stats"},
	"model/gc":                {"model/gmp", "sim"},
	"model/gmpload":           {"model/gmp", "sim", "sim/container", "sim/dist", "sim/stats"},
	"model/goprog":            {"model/gmp", "model/goprog/exportdata", "sim", "sim/container"},
	"model/goprog/burn":       {},
	"model/goprog/exportdata": {},
	"model/lb":                {},
	"model/mmc":               {"sim", "sim/container", "sim/stats"},
	"model/mux":               {},
	"model/tcp":               {"sim", "sim/container"},
	"model/http2":             {"model/tcp", "sim", "sim/container"},
	"model/transport":         {"model/tcp", "sim", "sim/container", "sim/stats"},
	"model/station":           {"sim", "sim/container"},
	"model/sql":               {"model/station", "sim", "sim/container", "sim/stats"},
	"model/backend":           {"model/station", "model/tcp", "model/transport", "sim", "sim/container", "sim/dist", "sim/stats"},
	"model/handler":           {"model/backend", "model/gc", "model/gmp", "model/sql", "sim", "sim/container", "sim/dist"},
	"model/httpserver":        {"model/gc", "model/gmp", "model/handler", "model/tcp", "sim", "sim/container", "sim/dist", "sim/stats"},
	"model/workload":          {"model/host", "model/httpserver", "model/tcp", "sim", "sim/container", "sim/dist", "sim/stats"},
	"model/scenarios": {"model/backend", "model/gc", "model/gmp", "model/handler", "model/host", "model/http2", "model/httpserver",
		"model/lb", "model/mmc", "model/mux", "model/sql", "model/tcp", "model/transport", "model/workload",
		"sim", "sim/container", "sim/dist", "sim/scenario", "sim/stats"},

	// Drawing: scenes read models through narrow views; only ebitenview
	// and chart touch ebiten and gonum/plot.
	"viz/typeface":                 {},
	"viz/typeface/internal/render": {},
	"viz/typeface/internal/gen":    {"viz/typeface/internal/render"},
	"viz/scene": {"model/gmp", "model/gmpload", "model/http2", "model/mux", "model/scenarios", "model/tcp", "model/transport",
		"sim", "sim/scenario", "viz/si", "viz/typeface"},
	"viz/raster":     {"viz/scene", "viz/typeface"},
	"viz/ebitenview": {"viz/scene", "viz/typeface"},
	"viz/chart":      {"sim/experiment", "sim/scenario", "viz/si"},
	"viz/si":         {},
	"viz/gtrace":     {"model/goprog", "sim"}, // the playground's layout of a goprog.GTrace

	// Front ends.
	"wasm":                   {"viz/ebitenview", "viz/raster", "viz/scene"},
	"wasm/web":               {},
	"wasm/playground":        {"model/goprog", "viz/gtrace"}, // the second, lazily loaded module
	"wasm/browsertest":       {},
	"cmd/internal/child":     {},
	"cmd/internal/calibrate": {"cmd/internal/child", "sim/scenario"},
	"cmd/internal/validate": {"cmd/internal/calibrate", "sim/container", "cmd/internal/child", "model/gmp", "model/goprog", "model/http2", "model/mux", "model/scenarios",
		"model/tcp", "sim", "sim/scenario", "sim/stats"},
	"cmd/gohttpsim": {"cmd/internal/calibrate", "cmd/internal/child", "cmd/internal/validate", "model/goprog", "model/mux", "model/scenarios",
		"sim", "sim/experiment", "sim/scenario", "sim/simbench", "viz/chart", "viz/raster", "viz/scene", "wasm/web"},
}

const module = "github.com/gohttpsim/gohttpsim/"

// goList returns, for each package of the module built for env and tags,
// its direct imports and its transitive dependencies.
func goList(t *testing.T, env []string, tags string) (imports, deps map[string][]string) {
	t.Helper()
	args := []string{"list", "-e", "-f", "{{.ImportPath}}|{{join .Imports \" \"}}|{{join .Deps \" \"}}"}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	cmd := exec.Command("go", append(args, module+"...")...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v %s: %v", env, tags, err)
	}
	imports, deps = map[string][]string{}, map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 3 {
			t.Fatalf("go list: bad line %q", line)
		}
		pkg := strings.TrimPrefix(f[0], module)
		imports[pkg], deps[pkg] = strings.Fields(f[1]), strings.Fields(f[2])
	}
	return imports, deps
}

// TestImportTable checks every import of the module's own packages against
// allowedImports, natively, for js/wasm and with the desktop tag (so the
// ebiten and browser files are checked too), and keeps drawing libraries
// out of model/ and sim/.
func TestImportTable(t *testing.T) {
	builds := []struct {
		env  []string
		tags string
	}{{nil, ""}, {[]string{"GOOS=js", "GOARCH=wasm"}, ""}, {nil, "desktop"}}
	seen := 0
	for _, b := range builds {
		imports, deps := goList(t, b.env, b.tags)
		for pkg, imps := range imports {
			seen++
			allowed, known := allowedImports[pkg]
			if !known {
				t.Errorf("package %s is not in allowedImports: add it with the module packages it may import", pkg)
				continue
			}
			for _, imp := range imps {
				to, internal := strings.CutPrefix(imp, module)
				if internal && !slices.Contains(allowed, to) {
					t.Errorf("%s imports %s (%v %s): not in allowedImports[%q]", pkg, to, b.env, b.tags, pkg)
				}
			}
			if pkg == "wasm" {
				// The page's first module stays small (≤ 4 MiB gzip): the
				// compiler (go/ssa, in model/goprog) is in the playground
				// module only.
				for _, d := range deps[pkg] {
					if strings.HasPrefix(d, "golang.org/x/tools") || d == module+"model/goprog" {
						t.Errorf("the main wasm module depends on %s: it belongs in wasm/playground", d)
					}
				}
			}
			if strings.HasPrefix(pkg, "model/") || pkg == "sim" || strings.HasPrefix(pkg, "sim/") {
				for _, d := range deps[pkg] {
					if strings.Contains(d, "hajimehoshi/ebiten") || strings.HasPrefix(d, "gonum.org/v1/plot") {
						t.Errorf("%s depends on %s: drawing belongs in viz", pkg, d)
					}
				}
			}
		}
	}
	if seen < 3*20 {
		t.Fatalf("go list returned only %d packages", seen)
	}
}
