package tcp

import "github.com/gohttpsim/gohttpsim/sim"

type simTime = sim.Time
