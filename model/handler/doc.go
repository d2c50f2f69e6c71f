// Package handler models HTTP handlers as short programs run by the
// goroutine serving a request: CPU spans with allocation (charged to the
// collector of [gc]), sleeps (waiting without CPU), database queries through
// a database/sql connection pool ([DB]), and middleware layers in front.
// Costs are distributions ([dist.Dist]) sampled per request from the
// "handler/cost" stream.
//
// A request's context deadline (context.WithTimeout inside the handler,
// [Handler].Timeout) cancels its downstream work: a query waiting for a pool
// slot leaves the wait set, a running query is cancelled at the database and
// its connection returns to the pool at the deadline, as database/sql does
// when the context passed to QueryContext ends.
//
// Handlers run on the scheduler model ([gmp]): [Runner.Step] is called from
// the serving G's Behavior and returns the G's next action. Per-request
// state is an [Exec] in a slice addressed by index; nothing is allocated per
// request.
package handler
