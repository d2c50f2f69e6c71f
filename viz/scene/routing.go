package scene

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gohttpsim/gohttpsim/model/mux"
	"github.com/gohttpsim/gohttpsim/sim"
)

// routing is section 6: model/mux (our ServeMux, tested against the real
// one) routes the request the user clicks; the walk through the routing
// tree is replayed on the engine, one node per event, spaced by the
// calibrated cost of the match (mux.DefaultCost), so speed 1 shows a
// 300 ns route over about a second.
type routing struct {
	ticker
	e        *sim.Engine
	h        sim.HandlerID
	m        *mux.Mux
	patterns []string
	tree     []mux.TreeNode
	legacy   bool
	reqs     []string
	buttons  []Box

	req    string     // the request being shown
	res    mux.Result // its result
	cost   time.Duration
	step   int // visited nodes revealed so far
	gen    int64
	routed int
	mo     Motion
}

func (r *routing) motion() *Motion { return &r.mo }

func newRouting() *routing { return &routing{} }

// DefaultPatterns is the table the section starts with: methods,
// wildcards, a multi wildcard, {$}, a host and a subtree.
const DefaultPatterns = "GET /users/{id}\nGET /users/new\nPOST /users/\nGET /files/{path...}\nGET /{$}\n/static/\napi.example.org/\n/tree/"

// DefaultRequests are the clickable requests.
var DefaultRequests = []string{
	"GET /users/42", "GET /users/new", "HEAD /users/7", "DELETE /users/42", "POST /users/x",
	"GET /files/a/b.txt", "GET /", "GET /tree", "GET /static/../users/9", "GET /nothing",
	"GET http://api.example.org/anything",
}

func (r *routing) ID() string           { return "routing" }
func (r *routing) Slice() time.Duration { return 5 * time.Nanosecond }
func (r *routing) Engine() *sim.Engine  { return r.e }
func (r *routing) lagging() bool        { return r.lag }
func (r *routing) advance(d time.Duration) {
	r.ticker.advance(r.e, d)
}

var routingControls = []Control{
	{Key: "patterns", Label: "patterns (one per line)", Kind: TextIn, Default: DefaultPatterns},
	{Key: "legacy", Label: "pre-1.22 matcher (GODEBUG=httpmuxgo121=1)", Kind: Toggle, Default: "false"},
}

func (r *routing) Controls() []Control { return routingControls }

// MaxPatterns bounds the table the page accepts.
const MaxPatterns = 200

func (r *routing) Build(seed uint64, vals map[string]string) error {
	pats, legacy := DefaultPatterns, false
	for k, v := range vals {
		switch k {
		case "patterns":
			pats = v
		case "legacy":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("legacy: want true or false, got %q", v)
			}
			legacy = b
		default:
			return fmt.Errorf("no parameter %q", k)
		}
	}
	m := mux.New()
	if legacy {
		m = mux.NewLegacy()
	}
	var list []string
	for _, line := range strings.Split(pats, "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if len(list) == MaxPatterns {
			return fmt.Errorf("more than %d patterns", MaxPatterns)
		}
		if err := m.Handle(line); err != nil {
			return fmt.Errorf("pattern %q: %v", line, err)
		}
		list = append(list, line)
	}
	e := sim.NewEngine(seed)
	r.e, r.m, r.patterns, r.legacy, r.tree = e, m, list, legacy, dfs(m.Tree())
	r.h = e.Register(r)
	r.reqs = DefaultRequests
	r.req, r.res, r.step, r.cost, r.routed = "", mux.Result{}, 0, 0, 0
	r.mo.Reset()
	r.ticker.reset()
	return nil
}

// Handle reveals the next visited node (arg: the request generation, so a
// newer click makes older walks' events no-ops).
func (r *routing) Handle(ev sim.Event) {
	if ev.Arg != r.gen {
		return
	}
	r.step = int(ev.Entity) + 1
}

// route starts showing req ("METHOD TARGET").
func (r *routing) route(req string) error {
	method, target, ok := strings.Cut(strings.TrimSpace(req), " ")
	if !ok {
		method, target = "GET", req
	}
	res, err := r.m.Match(method, strings.TrimSpace(target))
	if err != nil {
		return fmt.Errorf("request %q: %v", req, err)
	}
	r.gen++
	r.req, r.res, r.step, r.routed = req, res, 0, r.routed+1
	r.cost = r.m.Cost(method, strings.TrimSpace(target))
	n := max(len(res.Visited), 1)
	per := max(r.cost/time.Duration(n), 1)
	for i := range n {
		r.e.After(per*time.Duration(i+1), r.h, 0, int32(i), r.gen)
	}
	return nil
}

func (r *routing) Action(name, arg string) error {
	if name == "route" {
		return r.route(arg)
	}
	return fmt.Errorf("section routing has no action %q (valid: route)", name)
}

func (r *routing) Click(x, y float32) bool {
	for i, b := range r.buttons {
		if b.Contains(x, y) {
			_ = r.route(r.reqs[i])
			return true
		}
	}
	return false
}

func (r *routing) done() bool {
	return r.req != "" && r.step >= max(len(r.res.Visited), 1)
}

func (r *routing) State() map[string]any {
	st := map[string]any{"patterns": len(r.patterns), "legacy": r.legacy, "nodes": len(r.tree), "request": r.req,
		"step": r.step, "routed": r.routed, "cost_ns": int64(r.cost)}
	if r.req != "" {
		st["status"] = r.res.Status
		st["pattern"] = r.res.Pattern
		st["visited"] = len(r.res.Visited)
		st["done"] = r.done()
		st["location"] = r.res.Location
		st["allow"] = r.res.Allow
	}
	return st
}

func (r *routing) Draw(l *List, w, h float32) {
	// Request buttons: a column on wide canvases, a grid on narrow ones.
	r.buttons = r.buttons[:0]
	bw := float32(200)
	cols := 1
	x0, y0 := float32(8), float32(8)
	if w < 640 {
		cols = 2
		bw = (w - 24) / 2
	}
	l.Text(x0, y0, "click a request:", Muted)
	y0 += LineH + 2
	for i, q := range r.reqs {
		bx := x0 + float32(i%cols)*(bw+8)
		by := y0 + float32(i/cols)*(LineH+6)
		c := Panel
		if q == r.req {
			c = Accent
		}
		l.Rect(bx, by, bw, LineH+2, c)
		l.Text(bx+4, by+1, clip(q, int(bw-8)/CharW), Ink)
		r.buttons = append(r.buttons, Box{bx, by, bw, LineH + 2})
	}
	tx, ty := x0+bw+16, float32(8)
	if cols == 2 {
		tx, ty = 8, y0+float32((len(r.reqs)+1)/2)*(LineH+6)+8
	}
	tw := w - tx - 8
	// Result line.
	if r.req != "" {
		status := "routing..."
		c := Muted
		if r.done() {
			status, c = resultLine(r.res), resultColor(r.res.Status)
		}
		ty = wrap(l, tx, ty, tw, fmt.Sprintf("%s -> %s   (%s of CPU, %d lookups)", r.req, status, roundDur(r.cost), r.res.Lookups+r.res.Scanned), c)
	} else {
		ty = wrap(l, tx, ty, tw, "no request yet", Muted)
	}
	ty += 6
	// The request travels from its button down the nodes the match
	// visits, one node per event of the replayed walk.
	var tokX, tokY, srcX, srcY float32
	hasTok := false
	for i, q := range r.reqs {
		if q == r.req && i < len(r.buttons) {
			srcX, srcY = r.buttons[i].X+r.buttons[i].W-8, r.buttons[i].Y+r.buttons[i].H/2
			tokX, tokY, hasTok = srcX, srcY, true
		}
	}
	visited := map[mux.NodeID]int{}
	if r.req != "" {
		for i, id := range r.res.Visited[:min(r.step, len(r.res.Visited))] {
			visited[id] = i
		}
	}
	if r.legacy {
		l.Text(tx, ty, "pre-1.22: exact paths in a map, then subtree patterns scanned longest first", Muted)
		ty += LineH + 2
		for _, p := range r.patterns {
			c := Ink
			if r.done() && p == r.res.Pattern {
				c = Good
			}
			l.Text(tx+8, ty, clip(p, int(tw-8)/CharW), c)
			ty += LineH
		}
	} else {
		// The routing tree, one node a row, indented by depth.
		for _, n := range r.tree {
			if ty > h-4*LineH {
				l.Text(tx, ty, "...", Muted)
				ty += LineH
				break
			}
			x := tx + float32(n.Depth)*12
			c := Idle
			if i, ok := visited[n.ID]; ok {
				c = Runnable
				if i == r.step-1 && !r.done() {
					c = Accent
				}
			}
			if r.done() && n.Pattern != "" && n.Pattern == r.res.Pattern && r.res.Status == 200 {
				c = Good
			}
			if i, ok := visited[n.ID]; ok && i == r.step-1 {
				tokX, tokY = x+4, ty+7
			}
			l.Circle(x+4, ty+7, 4, c)
			label := n.Label
			if n.Pattern != "" {
				label += "  [" + n.Pattern + "]"
			}
			l.Text(x+12, ty, clip(label, int(w-x-20)/CharW), Ink)
			ty += LineH
		}
	}
	if hasTok {
		px, py := r.mo.Place(EntKey(EntRequest, r.gen), tokX, tokY, srcX, srcY)
		l.Ring(px, py, 7, 2, Request)
	}
	r.mo.End(nil, nil)
	ty += 6
	if r.done() {
		for _, line := range r.res.Explain {
			if ty > h-LineH {
				break
			}
			ty = wrap(l, tx, ty, tw, line, Muted)
		}
	}
}

func resultLine(res mux.Result) string {
	switch {
	case res.Status == 200:
		s := "200 " + res.Pattern
		for _, v := range res.Values {
			s += "  " + v.Name + "=" + v.Value
		}
		return s
	case res.Status == 405:
		return "405 Method Not Allowed, Allow: " + res.Allow
	case res.Status == 301 || res.Status == 307 || res.Status == 308:
		return fmt.Sprintf("%d redirect to %s", res.Status, res.Location)
	}
	return strconv.Itoa(res.Status)
}

func resultColor(status int) Color {
	switch {
	case status == 200:
		return Good
	case status >= 300 && status < 400:
		return Warn
	}
	return Bad
}

func clip(s string, n int) string {
	if n <= 1 {
		return ""
	}
	if len(s) > n {
		return s[:n-1] + "..."
	}
	return s
}

// dfs orders the tree's nodes depth first (children in node order), so
// that drawing one per row with indentation shows each under its parent.
func dfs(nodes []mux.TreeNode) []mux.TreeNode {
	kids := make([][]int, len(nodes))
	var roots []int
	for i, n := range nodes {
		if n.Parent == mux.NoNode || int(n.Parent) >= len(nodes) {
			roots = append(roots, i)
			continue
		}
		kids[n.Parent] = append(kids[n.Parent], i)
	}
	out := make([]mux.TreeNode, 0, len(nodes))
	var walk func(i int)
	walk = func(i int) {
		out = append(out, nodes[i])
		for _, k := range kids[i] {
			walk(k)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}
