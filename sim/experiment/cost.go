package experiment

// cost.go: the -cost expression of a plan over several keys, a small
// arithmetic language over parameter keys, parsed by recursive descent:
//
//	expr   = term { ("+" | "-") term }
//	term   = factor { ("*" | "/") factor }
//	factor = NUMBER | KEY | "(" expr ")" | "-" factor
//
// KEY is a parameter key (letters, digits, '_' and '.', not starting with a
// digit or '.'). Each key evaluates to its numeric value at the evaluated
// configuration (durations in ns, sizes in bytes, booleans 0 or 1).

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ErrCost is wrapped by every -cost parse or evaluation error.
var ErrCost = errors.New("-cost")

// maxCostDepth bounds nesting, so "((((…" cannot exhaust the stack.
const maxCostDepth = 64

// Cost is a parsed -cost expression.
type Cost struct {
	root costNode
	keys []string // distinct, in order of appearance
	text string
}

type costNode struct {
	op   byte // 'n' number, 'k' key, '~' negation, or + - * /
	num  float64
	key  string
	l, r *costNode
}

type costParser struct {
	s     string
	pos   int
	depth int
	keys  []string
}

// ParseCost parses s. Errors wrap ErrCost and name the column and the
// problem.
func ParseCost(s string) (*Cost, error) {
	p := &costParser{s: s}
	p.skip()
	if p.pos == len(s) {
		return nil, fmt.Errorf("%w %q: empty expression; want e.g. 'server.replicas*GOMAXPROCS'", ErrCost, s)
	}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	if p.pos < len(s) {
		return nil, p.errf("unexpected %q", s[p.pos])
	}
	return &Cost{root: *n, keys: p.keys, text: strings.TrimSpace(s)}, nil
}

// Keys returns the keys the expression reads.
func (c *Cost) Keys() []string { return c.keys }

// String returns the expression fully parenthesised (a canonical form:
// parsing it yields the same String).
func (c *Cost) String() string { return c.root.String() }

// Text returns the expression as given.
func (c *Cost) Text() string { return c.text }

func (n *costNode) String() string {
	switch n.op {
	case 'n':
		return strconv.FormatFloat(n.num, 'g', -1, 64)
	case 'k':
		return n.key
	case '~':
		return "(-" + n.l.String() + ")"
	}
	return "(" + n.l.String() + string(n.op) + n.r.String() + ")"
}

// Eval computes the cost with each key's value from val. A division by
// zero, or a result that is not finite, is an error.
func (c *Cost) Eval(val func(key string) (float64, error)) (float64, error) {
	v, err := c.root.eval(val)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%w %s: the cost is %v", ErrCost, c.text, v)
	}
	return v, nil
}

func (n *costNode) eval(val func(string) (float64, error)) (float64, error) {
	switch n.op {
	case 'n':
		return n.num, nil
	case 'k':
		return val(n.key)
	case '~':
		v, err := n.l.eval(val)
		return -v, err
	}
	a, err := n.l.eval(val)
	if err != nil {
		return 0, err
	}
	b, err := n.r.eval(val)
	if err != nil {
		return 0, err
	}
	switch n.op {
	case '+':
		return a + b, nil
	case '-':
		return a - b, nil
	case '*':
		return a * b, nil
	}
	if b == 0 {
		return 0, fmt.Errorf("%w: division by zero (%s is 0)", ErrCost, n.r.String())
	}
	return a / b, nil
}

func (p *costParser) errf(format string, a ...any) error {
	return fmt.Errorf("%w %q: column %d: %s", ErrCost, p.s, p.pos+1, fmt.Sprintf(format, a...))
}

func (p *costParser) skip() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t') {
		p.pos++
	}
}

func (p *costParser) expr() (*costNode, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxCostDepth {
		return nil, p.errf("nested deeper than %d", maxCostDepth)
	}
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	for p.pos < len(p.s) && (p.s[p.pos] == '+' || p.s[p.pos] == '-') {
		op := p.s[p.pos]
		p.pos++
		p.skip()
		r, err := p.term()
		if err != nil {
			return nil, err
		}
		l = &costNode{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *costParser) term() (*costNode, error) {
	l, err := p.factor()
	if err != nil {
		return nil, err
	}
	for p.pos < len(p.s) && (p.s[p.pos] == '*' || p.s[p.pos] == '/') {
		op := p.s[p.pos]
		p.pos++
		p.skip()
		r, err := p.factor()
		if err != nil {
			return nil, err
		}
		l = &costNode{op: op, l: l, r: r}
	}
	return l, nil
}

func (p *costParser) factor() (*costNode, error) {
	if p.pos == len(p.s) {
		return nil, p.errf("expression ends early: want a number, a key or '('")
	}
	var n *costNode
	switch c := p.s[p.pos]; {
	case c == '(':
		p.pos++
		p.skip()
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.pos == len(p.s) || p.s[p.pos] != ')' {
			return nil, p.errf("missing ')'")
		}
		p.pos++
		n = e
	case c == '-':
		p.pos++
		p.skip()
		p.depth++
		if p.depth > maxCostDepth {
			return nil, p.errf("nested deeper than %d", maxCostDepth)
		}
		e, err := p.factor()
		p.depth--
		if err != nil {
			return nil, err
		}
		n = &costNode{op: '~', l: e}
	case c >= '0' && c <= '9' || c == '.':
		start := p.pos
		for p.pos < len(p.s) && (isDigit(p.s[p.pos]) || p.s[p.pos] == '.' ||
			(p.s[p.pos] == 'e' || p.s[p.pos] == 'E') ||
			((p.s[p.pos] == '+' || p.s[p.pos] == '-') && p.pos > start && (p.s[p.pos-1] == 'e' || p.s[p.pos-1] == 'E'))) {
			p.pos++
		}
		f, err := strconv.ParseFloat(p.s[start:p.pos], 64)
		if err != nil || math.IsInf(f, 0) {
			tok := p.s[start:p.pos]
			p.pos = start
			return nil, p.errf("bad number %q", tok)
		}
		n = &costNode{op: 'n', num: f}
	case isKeyStart(c):
		start := p.pos
		for p.pos < len(p.s) && (isKeyStart(p.s[p.pos]) || isDigit(p.s[p.pos]) || p.s[p.pos] == '.') {
			p.pos++
		}
		k := p.s[start:p.pos]
		n = &costNode{op: 'k', key: k}
		seen := false
		for _, x := range p.keys {
			seen = seen || x == k
		}
		if !seen {
			p.keys = append(p.keys, k)
		}
	default:
		return nil, p.errf("unexpected %q: want a number, a key or '('", c)
	}
	p.skip()
	return n, nil
}

func isDigit(c byte) bool    { return c >= '0' && c <= '9' }
func isKeyStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
