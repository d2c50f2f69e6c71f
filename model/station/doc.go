// Package station is the bookkeeping of a c-worker service station shared
// by the downstream models: Workers run at once, the rest wait in one FIFO,
// and the station keeps the counters and the busy integral from which its
// utilization follows. It models no protocol; model/sql's Server (a
// database's executor, max_connections aside) and model/backend's Service
// (an HTTP service's handler workers) own one each and add their own
// protocol on top.
//
// It mirrors nothing in Go: it stands for the server side of a
// connection, whose internals the simulator does not model (PostgreSQL's
// backends, another team's service). With exponential service times and no
// other limit a station is the M/M/c queue of model/mmc.
package station
