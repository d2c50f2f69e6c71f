package http2

import "errors"

// inflowMinRefresh mirrors http2inflowMinRefresh (h2_bundle.go, go1.26):
// window updates smaller than 4 KiB are held back unless they would at
// least double the window the peer sees.
const inflowMinRefresh = 4 << 10

// inflow is an inbound window. It mirrors http2inflow.
type inflow struct {
	avail  int32 // window the peer may still use
	unsent int32 // consumed bytes not yet returned to the peer
}

// add returns n consumed bytes to the window and reports the increment to
// send in a WINDOW_UPDATE (0: hold it back). Mirrors http2inflow.add:
// send when unsent ≥ 4 KiB or unsent ≥ avail.
func (f *inflow) add(n int) int32 {
	unsent := int64(f.unsent) + int64(n)
	if unsent+int64(f.avail) > MaxWindow {
		unsent = MaxWindow - int64(f.avail)
	}
	f.unsent = int32(unsent)
	if f.unsent < inflowMinRefresh && f.unsent < f.avail {
		return 0
	}
	f.avail += f.unsent
	f.unsent = 0
	return int32(unsent)
}

// take consumes n bytes of window; it reports false (a FLOW_CONTROL_ERROR
// for the peer) if the peer overran it.
func (f *inflow) take(n uint32) bool {
	if int64(n) > int64(f.avail) {
		return false
	}
	f.avail -= int32(n)
	return true
}

// outflow is an outbound window. It mirrors http2outflow.
type outflow struct{ n int32 }

// ErrFlowControl: a WINDOW_UPDATE or SETTINGS change would take a window
// over 2^31-1 (RFC 9113 §6.9.1: FLOW_CONTROL_ERROR).
var ErrFlowControl = errors.New("http2: flow-control window exceeds 2^31-1")

// ErrZeroIncrement: a WINDOW_UPDATE with increment 0 (RFC 9113 §6.9:
// PROTOCOL_ERROR).
var ErrZeroIncrement = errors.New("http2: WINDOW_UPDATE increment 0")

// add grows the window by n (a WINDOW_UPDATE) or shifts it by a SETTINGS
// delta (n may be negative, and the window may go negative: §6.9.2).
func (f *outflow) add(n int32) error {
	sum := int64(f.n) + int64(n)
	if sum > MaxWindow {
		return ErrFlowControl
	}
	f.n = int32(sum)
	return nil
}
