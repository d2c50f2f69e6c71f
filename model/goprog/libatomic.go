package goprog

// sync/atomic: the interpreter is single-threaded, so each operation is a
// plain read-modify-write of the cell (the typed atomics keep their value
// in the cell's word, atomic.Value and Pointer in its reference).

func atomicCell(v value) *value { return cell(v) }

func init() {
	m := map[string]nativeFn{}
	for _, k := range []struct {
		name string
		bits int
		sign bool
	}{{"Int32", 32, true}, {"Int64", 64, true}, {"Uint32", 32, false}, {"Uint64", 64, false}, {"Uintptr", 64, false}} {
		nk := nkI64
		switch {
		case k.bits == 32 && k.sign:
			nk = nkI32
		case k.bits == 32:
			nk = nkU32
		case !k.sign:
			nk = nkU64
		}
		add := func(r *Runner, c *ncall) {
			p := atomicCell(c.args[0])
			p.n = norm(nk, p.n+c.args[1].n)
			c.res[0] = value{n: p.n}
		}
		load := func(r *Runner, c *ncall) { c.res[0] = value{n: atomicCell(c.args[0]).n} }
		store := func(r *Runner, c *ncall) { atomicCell(c.args[0]).n = c.args[1].n }
		swap := func(r *Runner, c *ncall) {
			p := atomicCell(c.args[0])
			c.res[0] = value{n: p.n}
			p.n = c.args[1].n
		}
		cas := func(r *Runner, c *ncall) {
			p := atomicCell(c.args[0])
			if p.n == c.args[1].n {
				p.n = c.args[2].n
				c.res[0] = b2v(true)
				return
			}
			c.res[0] = b2v(false)
		}
		and := func(r *Runner, c *ncall) {
			p := atomicCell(c.args[0])
			c.res[0] = value{n: p.n}
			p.n &= c.args[1].n
		}
		or := func(r *Runner, c *ncall) {
			p := atomicCell(c.args[0])
			c.res[0] = value{n: p.n}
			p.n |= c.args[1].n
		}
		typ := "(*sync/atomic." + k.name + ")."
		m[typ+"Add"], m[typ+"Load"], m[typ+"Store"], m[typ+"Swap"], m[typ+"CompareAndSwap"] = add, load, store, swap, cas
		m[typ+"And"], m[typ+"Or"] = and, or
		m["sync/atomic.Add"+k.name], m["sync/atomic.Load"+k.name], m["sync/atomic.Store"+k.name] = add, load, store
		m["sync/atomic.Swap"+k.name], m["sync/atomic.CompareAndSwap"+k.name] = swap, cas
		m["sync/atomic.And"+k.name], m["sync/atomic.Or"+k.name] = and, or
	}
	m["(*sync/atomic.Bool).Load"] = func(r *Runner, c *ncall) { c.res[0] = value{n: atomicCell(c.args[0]).n} }
	m["(*sync/atomic.Bool).Store"] = func(r *Runner, c *ncall) { atomicCell(c.args[0]).n = c.args[1].n }
	m["(*sync/atomic.Bool).Swap"] = func(r *Runner, c *ncall) {
		p := atomicCell(c.args[0])
		c.res[0] = value{n: p.n}
		p.n = c.args[1].n
	}
	m["(*sync/atomic.Bool).CompareAndSwap"] = func(r *Runner, c *ncall) {
		p := atomicCell(c.args[0])
		ok := p.n == c.args[1].n
		if ok {
			p.n = c.args[2].n
		}
		c.res[0] = b2v(ok)
	}
	refLoad := func(r *Runner, c *ncall) { c.res[0] = refOf(atomicCell(c.args[0])) }
	refStore := func(r *Runner, c *ncall) { atomicCell(c.args[0]).r = atomicRef{c.args[1]} }
	refSwap := func(r *Runner, c *ncall) {
		p := atomicCell(c.args[0])
		c.res[0] = refOf(p)
		p.r = atomicRef{c.args[1]}
	}
	m["(*sync/atomic.Value).Load"], m["(*sync/atomic.Value).Store"], m["(*sync/atomic.Value).Swap"] = refLoad, refStore, refSwap
	m["(*sync/atomic.Pointer).Load"], m["(*sync/atomic.Pointer).Store"], m["(*sync/atomic.Pointer).Swap"] = refLoad, refStore, refSwap
	m["(*sync/atomic.Pointer).CompareAndSwap"] = func(r *Runner, c *ncall) {
		p := atomicCell(c.args[0])
		old := refOf(p)
		ok := old.r == c.args[1].r
		if ok {
			p.r = atomicRef{c.args[2]}
		}
		c.res[0] = b2v(ok)
	}
	bind(m)

}

// atomicRef is what atomic.Value and atomic.Pointer keep in their cell.
type atomicRef struct{ v value }

func refOf(p *value) value {
	if a, ok := p.r.(atomicRef); ok {
		return a.v
	}
	return value{}
}
