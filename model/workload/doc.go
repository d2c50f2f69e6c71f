// Package workload models the clients of an HTTP/1.1 server: sessions
// (Poisson new connections, each sending a few requests with think time,
// then closing), open-loop arrivals (Poisson or constant rate, with rate steps over time), closed-loop
// clients with think time each on its own keep-alive connection, slowloris
// clients that send header bytes slowly, client timeouts
// (http.Client.Timeout) and retries.
//
// Open-loop requests take the most recently used idle connection, as
// http.Transport's idle pool does (LIFO, queueForIdleConn), or dial a new
// one; the pool details (MaxIdleConnsPerHost, late binding) belong to
// model/http2's Transport model and are not repeated here: every
// connection that becomes idle stays in the pool.
//
// # Conservation
//
// Every request that arrives is, at any instant, completed, failed for one
// cause, or in flight: Stats.Arrived = Completed + ΣFailed + InFlight
// ([Stats.Conserved]). Retries are attempts of the same request.
package workload
