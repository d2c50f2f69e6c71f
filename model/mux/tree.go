package mux

// The routing tree. Its first level branches on the host, the second on
// the method, and the rest on consecutive path segments; a pattern is a
// leaf at the end of its segments. At a path node a request segment
// first follows the literal child with that text, then the single
// wildcard child, then the multi wildcard child, and backs up when a
// branch fails. Because registration refused conflicts, a literal branch
// that matches is always more specific than the wildcard branches beside
// it, so the first leaf found is the winner. For example, with
//
//	/a/b/z
//	/a/{x}/c
//
// the path /a/b/c first tries /a/b/z, fails at "c", backs up to "a" and
// matches /a/{x}/c. The walk costs about O(path depth) child lookups,
// plus backtracking, whatever the number of patterns.
//
// Mirrors net/http.routingNode (src/net/http/routing_tree.go, go1.26)
// and its child mapping (mapping.go: a slice of up to 8 children, then a
// map). Unlike net/http, every node has a dense [NodeID] and remembers
// its parent, so that the tree can be drawn and a walk replayed.

import (
	"errors"
	"strings"
)

// NodeID identifies a node of a Mux's routing tree: its index in
// [Mux.Tree]. The root is 0; NoNode is -1.
type NodeID int32

// NoNode is the parent of the root.
const NoNode NodeID = -1

// NodeKind says which level of the tree a node belongs to.
type NodeKind string

const (
	RootNode     NodeKind = "root"
	HostNode     NodeKind = "host"     // Label is the host, "" for patterns without one
	MethodNode   NodeKind = "method"   // Label is the method, "" for patterns without one
	LiteralNode  NodeKind = "literal"  // a literal segment, or "/" for {$}
	WildcardNode NodeKind = "wildcard" // {name} (any one segment)
	MultiNode    NodeKind = "multi"    // {name...} or a trailing slash
)

// maxSliceChildren is the number of children kept in a slice before a
// node also indexes them in a map (net/http.maxSlice).
const maxSliceChildren = 8

type node struct {
	id      NodeID
	parent  NodeID
	kind    NodeKind
	key     string
	pattern *Pattern // set on leaves

	kids  []*node          // keyed children except the wildcard, in insertion order
	byKey map[string]*node // index of kids once there are more than maxSliceChildren
	wild  *node            // key "": the single wildcard (also "no host"/"no method")
	multi *node            // the multi wildcard; at most one per node
}

// tree owns the nodes, numbered densely in creation order.
type tree struct {
	nodes []*node
}

func (t *tree) root() *node {
	if len(t.nodes) == 0 {
		t.nodes = append(t.nodes, &node{id: 0, parent: NoNode, kind: RootNode})
	}
	return t.nodes[0]
}

func (t *tree) newNode(parent *node, kind NodeKind, key string) *node {
	n := &node{id: NodeID(len(t.nodes)), parent: parent.id, kind: kind, key: key}
	t.nodes = append(t.nodes, n)
	return n
}

// child returns the child with key, nil if there is none. Key "" is the
// wildcard child (net/http.routingNode.findChild).
func (n *node) child(key string) *node {
	if n == nil {
		return nil
	}
	if key == "" {
		return n.wild
	}
	if n.byKey != nil {
		return n.byKey[key]
	}
	for _, c := range n.kids {
		if c.key == key {
			return c
		}
	}
	return nil
}

// addChild returns n's child with key, creating it as kind if needed.
func (t *tree) addChild(n *node, key string, kind NodeKind) *node {
	if c := n.child(key); c != nil {
		return c
	}
	if key == "" {
		if kind == LiteralNode {
			kind = WildcardNode // the empty literal shares the wildcard branch
		}
		n.wild = t.newNode(n, kind, key)
		return n.wild
	}
	c := t.newNode(n, kind, key)
	n.kids = append(n.kids, c)
	if n.byKey != nil || len(n.kids) > maxSliceChildren {
		if n.byKey == nil {
			n.byKey = make(map[string]*node, len(n.kids))
			for _, k := range n.kids {
				n.byKey[k.key] = k
			}
		}
		n.byKey[key] = c
	}
	return c
}

// errLeafTaken is what net/http panics with (a string, not an error) when
// two non-conflicting patterns end on the same leaf, which only patterns
// with an empty segment ("/a//b" beside "/a/{x}/b") can do.
var errLeafTaken = errors.New("non-nil leaf fields")

// occupied reports whether the leaf where p would end already holds a
// pattern. It creates nothing.
func (t *tree) occupied(p *Pattern) bool {
	n := t.root().child(p.host).child(p.method)
	for _, s := range p.segments {
		if n == nil {
			return false
		}
		if s.multi() {
			return false // the multi child is replaced, as in net/http
		}
		n = n.child(segKey(s))
	}
	return n != nil && n.pattern != nil
}

func segKey(s Segment) string {
	if s.Kind == Wildcard {
		return ""
	}
	return s.Name
}

// add inserts p. The caller has checked conflicts and [tree.occupied].
func (t *tree) add(p *Pattern) {
	n := t.addChild(t.root(), p.host, HostNode)
	n = t.addChild(n, p.method, MethodNode)
	for _, s := range p.segments {
		switch s.Kind {
		case Multi:
			// net/http replaces an existing multi child without a check;
			// only a non-conflicting pair such as "/a//" and "/a/{x}/"
			// can get here, and the later one wins.
			n.multi = t.newNode(n, MultiNode, s.Name)
			n = n.multi
		case Wildcard:
			n = t.addChild(n, "", WildcardNode)
		default:
			n = t.addChild(n, s.Name, LiteralNode)
		}
	}
	n.pattern = p
}

// TreeNode is a read-only view of one node of the routing tree.
type TreeNode struct {
	ID      NodeID   `json:"id"`
	Parent  NodeID   `json:"parent"` // NoNode for the root
	Kind    NodeKind `json:"kind"`
	Label   string   `json:"label"`             // what a request must have to enter the node
	Pattern string   `json:"pattern,omitempty"` // set on leaves
	Depth   int      `json:"depth"`
}

// label renders what a request must have to enter n.
func (n *node) label() string {
	switch n.kind {
	case RootNode:
		return "root"
	case HostNode:
		if n.key == "" {
			return "any host"
		}
		return "host " + n.key
	case MethodNode:
		if n.key == "" {
			return "any method"
		}
		return n.key
	case WildcardNode:
		return "{}"
	case MultiNode:
		if n.key == "" {
			return "{...} (trailing /)"
		}
		return "{" + n.key + "...}"
	}
	if n.key == "/" {
		return "{$}"
	}
	return n.key
}

// Tree returns the routing tree in node order (parents before children),
// for drawing. Nodes orphaned by a replaced multi child are included;
// nothing points to them. In legacy mode there is no tree: it returns nil.
func (m *Mux) Tree() []TreeNode {
	if m.legacy != nil {
		return nil
	}
	out := make([]TreeNode, len(m.tree.nodes))
	for i, n := range m.tree.nodes {
		tn := TreeNode{ID: n.id, Parent: n.parent, Kind: n.kind, Label: n.label()}
		if n.pattern != nil {
			tn.Pattern = n.pattern.str
		}
		if n.parent != NoNode {
			tn.Depth = out[n.parent].Depth + 1
		}
		out[i] = tn
	}
	return out
}

// Dump renders the tree as indented text, children in lookup order
// (keyed children, then the wildcard, then the multi), one node a line:
// "#id label [pattern]".
func (m *Mux) Dump() string {
	if m.legacy != nil {
		return m.legacy.dump()
	}
	var b strings.Builder
	var rec func(n *node, depth int)
	rec = func(n *node, depth int) {
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString("#" + itoa(int(n.id)) + " " + n.label())
		if n.pattern != nil {
			b.WriteString(" [" + n.pattern.str + "]")
		}
		b.WriteByte('\n')
		for _, c := range n.kids {
			rec(c, depth+1)
		}
		if n.wild != nil {
			rec(n.wild, depth+1)
		}
		if n.multi != nil {
			rec(n.multi, depth+1)
		}
	}
	rec(m.tree.root(), 0)
	return b.String()
}
