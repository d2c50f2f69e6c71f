package tcp_test

import (
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/sim"
)

// printer logs every event and accepts connections.
type printer struct {
	e *sim.Engine
	n *tcp.Net
	l tcp.ListenerID
}

func (p *printer) OnTCP(c tcp.ConnID, side tcp.Side, ev tcp.EventKind, n int64) {
	fmt.Printf("%-6v %-6v %-10v %d\n", p.e.Now(), side, ev, n)
	if ev == tcp.Acceptable {
		p.n.Accept(p.l, p, 0)
	}
}

// A TLS 1.3 connection over a 10 ms path, then 50 KB in slow start
// (10, then 20, then 5 segments: three round trips).
func ExampleNet() {
	e := sim.NewEngine(1)
	n, _ := tcp.New(e, tcp.Config{RTT: 10 * time.Millisecond, TLS: tcp.TLS13})
	p := &printer{e: e, n: n}
	p.l = n.Listen(p, 0, 0, 0)
	c := n.Dial(p, p.l, 0)
	e.Run()
	n.Send(c, tcp.Client, 50_000)
	n.Close(c, tcp.Client)
	e.Run()
	// Output:
	// 15ms   server Acceptable 1
	// 20ms   client Connected  0
	// 25ms   server Data       14480
	// 35ms   server Data       28960
	// 45ms   server Data       6560
	// 45ms   server EOF        0
}
