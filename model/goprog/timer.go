package goprog

import "github.com/gohttpsim/gohttpsim/model/gmp"

// timerObj is a time.Timer, time.Ticker, time.After or time.AfterFunc
// timer. It fires from a timer goroutine (see timerStep).
type timerObj struct {
	seq int
}

func (r *Runner) timerStep(gi int32, g *gstate) gmp.Action {
	return gmp.Exit()
}
