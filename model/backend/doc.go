// Package backend models a downstream HTTP service that every server
// replica calls through its own http.Transport: the handler step http(D).
//
// The service ([Service]) runs at most Workers requests at once; more wait
// in its FIFO, so like the database of model/sql it is an M/M/c station
// shared by the fleet. Each replica's [Client] is one http.Transport (a
// Transport of one model/transport Pool) reaching it over its own TCP path
// (model/tcp, RTT backend.latency): the Transport's pool rules apply as in
// the pool scenario, so Go's default MaxIdleConnsPerHost of 2 shows up under
// load as dials, connections closed on return (errTooManyIdleHost) and
// client sockets in TIME_WAIT.
//
// # Simplifications
//
// Dials and requests cost no CPU on the replica (the handler's cpu steps
// stand for its own code). A request cancelled by the handler's context
// deadline is not withdrawn: the backend still serves it (a server does not
// notice a client's cancel before it writes), and the connection is closed
// when the response arrives (the Transport closes the connection of a
// cancelled request) instead of at the deadline. A call that waited for a
// connection is sent when it gets one even if cancelled meanwhile, where
// Go's wantConn.cancel would put that connection back unused.
package backend
