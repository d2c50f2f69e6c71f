package scenarios

// httpconfig.go declares the parameters of the HTTP/1.1 server stack
// (httpstack.go) as typed config groups; sim/scenario derives the keys from
// their tags (scenario.New). Each key is declared once here and shared by
// every scenario that embeds the group: throughput, timeouts, million,
// routing and goroutines.

import (
	"fmt"
	"time"

	"github.com/gohttpsim/gohttpsim/model/backend"
	"github.com/gohttpsim/gohttpsim/model/gc"
	"github.com/gohttpsim/gohttpsim/model/gmp"
	"github.com/gohttpsim/gohttpsim/model/host"
	"github.com/gohttpsim/gohttpsim/model/httpserver"
	"github.com/gohttpsim/gohttpsim/model/lb"
	"github.com/gohttpsim/gohttpsim/model/sql"
	"github.com/gohttpsim/gohttpsim/model/tcp"
	"github.com/gohttpsim/gohttpsim/model/transport"
	"github.com/gohttpsim/gohttpsim/sim/dist"
	"github.com/gohttpsim/gohttpsim/sim/scenario"
)

// RuntimeConfig are the Go runtime's environment settings of a server
// process and the scheduler's calibrated costs (gmp.Config's CtxSwitch and
// GoCreate, which `gohttpsim calibrate` measures as goroutine_switch and
// goroutine_create).
type RuntimeConfig struct {
	GOMAXPROCS int           `key:"GOMAXPROCS" min:"0" max:"1024" range:"1,16" help:"Ps per server replica (0: the runtime's default, min(host.cores, max(2, ceil(host.cpu.quota))))"`
	GOGC       int           `key:"GOGC" min:"-1" max:"1e6" help:"GC target percentage (-1: off)"`
	GOMEMLIMIT int64         `key:"GOMEMLIMIT" unit:"B" min:"0" max:"1048576GiB" help:"soft memory limit (0: none)"`
	LiveHeap   int64         `key:"heap.live" unit:"B" min:"0" max:"1048576GiB" help:"heap the program keeps live besides connections and requests (caches, tables): every GC cycle marks it (0: none)"`
	CtxSwitch  time.Duration `key:"CtxSwitch" min:"1ns" max:"1ms" help:"scheduler: CPU to switch from one goroutine to the next (gmp.Config.CtxSwitch)"`
	GoCreate   time.Duration `key:"GoCreate" min:"1ns" max:"1ms" help:"scheduler: CPU of a go statement, newproc (gmp.Config.GoCreate)"`
	GCCycleCPU time.Duration `key:"gc.cycle.cpu" min:"1ns" max:"1s" help:"GC CPU per cycle beyond its scan work: the stop-the-world phases (gc.Config.CycleCPU; measured, see README)"`
	GCScanRate float64       `key:"gc.scan.rate" unit:"B/s" min:"1e6" max:"1e12" help:"bytes of scan work (heap, stacks, globals) one mark worker does per second of CPU (gc.Config.ScanRate; measured, see README)"`
	Globals    int64         `key:"gc.globals" unit:"B" min:"0" max:"1024GiB" help:"the program's scannable globals, scanned every cycle and counted in the heap goal (/gc/scan/globals; 0: none)"`
	LiveNoscan int64         `key:"heap.live.noscan" unit:"B" min:"0" max:"1048576GiB" help:"heap the program keeps live in pointer-free objects besides heap.live: counted live (in the goal), never scanned (0: none)"`
}

// defaultRuntime takes the scheduler's costs from model/gmp.
func defaultRuntime(procs int) RuntimeConfig {
	g := gmp.DefaultConfig()
	return RuntimeConfig{GOMAXPROCS: procs, GOGC: 100, CtxSwitch: g.CtxSwitch, GoCreate: g.GoCreate, GCCycleCPU: gc.DefaultCycleCPU, GCScanRate: gc.DefaultScanRate}
}

// HostConfig is the CPUs each server process may run on (model/host): its
// affinity mask and its cgroup v2 cpu.max. All zero means a core per P, the
// model as it was before hosts (and still the default).
type HostConfig struct {
	Cores  int           `key:"host.cores" min:"0" max:"65536" range:"0,16" help:"CPUs a server process may run on, shared by its Ps (0: one per P)"`
	Quota  float64       `key:"host.cpu.quota" unit:"cores" min:"0" max:"65536" range:"0,16" help:"cgroup v2 cpu.max quota in cores, e.g. 1.5; CFS throttles the process for the rest of a period once it is used (0: none)"`
	Period time.Duration `key:"host.cpu.period" min:"1ms" max:"1s" help:"cpu.max period: the quota is granted per period"`
}

// On reports whether the host model is on: a core count, a quota, or a
// client on the host.
func (h *HostConfig) On(c *ClientConfig) bool { return h.Cores > 0 || h.Quota > 0 || c.OnHost }

// HandlerConfig is what the handler does per request.
type HandlerConfig struct {
	Kind          string        `key:"handler.kind" enum:"hello,json,db,sleep,sequence" help:"what the handler does"`
	CPU           dist.Dist     `key:"handler.cpu" help:"the handler's own CPU per request (each CPU step of the kind)"`
	Sequence      string        `key:"handler.sequence" help:"steps for handler.kind=sequence: cpu(D), alloc(SIZE), sleep(D), db(D), http(D) joined by +"`
	Sleep         dist.Dist     `key:"handler.sleep" help:"time the sleep handler waits per request (time.Sleep; no CPU)"`
	Query         dist.Dist     `key:"handler.query" help:"database time per query of the db handler"`
	Alloc         dist.Dist     `key:"handler.alloc" unit:"B" help:"bytes the json handler allocates per request"`
	Timeout       time.Duration `key:"handler.timeout" min:"0" max:"1e13" help:"context.WithTimeout in the handler: cancels its DB and backend calls (0: none)"`
	Middleware    int           `key:"handler.middleware" min:"0" max:"100" help:"middleware layers in front of the handler"`
	MiddlewareCPU dist.Dist     `key:"handler.middleware.cpu" help:"CPU of each middleware layer"`
}

// ServerCostConfig are net/http's own costs per request and connection.
type ServerCostConfig struct {
	CPU       dist.Dist     `key:"server.cpu" help:"net/http's own CPU per request (read, parse, write syscalls); calibrated to ~103K req/s/core"`
	Stack     int64         `key:"server.stack" unit:"B" min:"2048" max:"1GiB" help:"stack a conn.serve goroutine grows to (assumption)"`
	AcceptCPU time.Duration `key:"server.accept.cpu" min:"1" max:"1e10" help:"accept loop CPU per connection (accept4, newConn)"`
}

// ServerConfig is the server side: replicas behind a balancer, the
// http.Server's settings and the process's limits.
type ServerConfig struct {
	Replicas          int           `key:"server.replicas" min:"1" max:"1000" help:"identical server instances behind the load balancer"`
	Policy            string        `key:"lb.policy" enum:"round-robin,least-connections,p2c" help:"how the L4 balancer spreads connections"`
	ReadTimeout       time.Duration `key:"Server.ReadTimeout" min:"-1e13" max:"1e13" help:"http.Server.ReadTimeout"`
	ReadHeaderTimeout time.Duration `key:"Server.ReadHeaderTimeout" min:"-1e13" max:"1e13" help:"http.Server.ReadHeaderTimeout (0: ReadTimeout)"`
	WriteTimeout      time.Duration `key:"Server.WriteTimeout" min:"-1e13" max:"1e13" help:"http.Server.WriteTimeout"`
	IdleTimeout       time.Duration `key:"Server.IdleTimeout" min:"-1e13" max:"1e13" help:"http.Server.IdleTimeout (0: ReadTimeout)"`
	MaxHeaderBytes    int64         `key:"Server.MaxHeaderBytes" unit:"B" min:"1" max:"1GiB" help:"http.Server.MaxHeaderBytes (431 beyond it + 4096)"`
	TimeoutHandler    time.Duration `key:"http.TimeoutHandler" min:"0" max:"1e13" help:"wrap the handler in http.TimeoutHandler with this dt (0: none)"`
	Somaxconn         int           `key:"somaxconn" min:"1" max:"1048576" help:"net.core.somaxconn: accept queue length"`
	FDLimit           int           `key:"ulimit.n" min:"5" max:"1073741824" help:"descriptor limit of a server process (EMFILE beyond it)"`
}

// DBConfig is each replica's database/sql pool (the DB.* keys, named as
// sql.DB's setters) and the one database every replica shares (db.*).
type DBConfig struct {
	MaxOpenConns    int           `key:"DB.MaxOpenConns" min:"0" max:"1e6" help:"sql.DB.SetMaxOpenConns per replica (0: unlimited)"`
	MaxIdleConns    int           `key:"DB.MaxIdleConns" min:"-1" max:"1e6" help:"sql.DB.SetMaxIdleConns (default 2; -1: none)"`
	ConnMaxLifetime time.Duration `key:"DB.ConnMaxLifetime" min:"0" max:"1e13" help:"sql.DB.SetConnMaxLifetime (0: forever)"`
	ConnMaxIdleTime time.Duration `key:"DB.ConnMaxIdleTime" min:"0" max:"1e13" help:"sql.DB.SetConnMaxIdleTime (0: forever)"`
	Workers         int           `key:"db.workers" min:"0" max:"1e6" help:"queries the shared database runs at once; more queue there (0: unlimited)"`
	MaxConnections  int           `key:"db.max_connections" min:"0" max:"1e6" help:"the database's max_connections over all replicas: more are refused, the request fails (0: unlimited)"`
}

// Pool returns one replica's sql.DB settings.
func (c DBConfig) Pool() sql.Config {
	return sql.Config{MaxOpenConns: c.MaxOpenConns, MaxIdleConns: c.MaxIdleConns, ConnMaxLifetime: c.ConnMaxLifetime, ConnMaxIdleTime: c.ConnMaxIdleTime}
}

// Server returns the shared database's settings.
func (c DBConfig) Server() sql.ServerConfig {
	return sql.ServerConfig{Workers: c.Workers, MaxConnections: c.MaxConnections}
}

// BackendConfig is the downstream HTTP service of http(D) steps and each
// replica's http.Transport to it. The Transport keys are the pool
// scenario's (TransportConfig), except MaxConnsPerHost: in this stack
// Transport.MaxConnsPerHost is the load generator's, so the replicas' is
// backend.MaxConnsPerHost.
type BackendConfig struct {
	Workers         int             `key:"backend.workers" min:"0" max:"1e6" help:"requests the shared backend serves at once; more queue there (0: unlimited)"`
	Latency         time.Duration   `key:"backend.latency" min:"0" max:"100s" help:"round-trip time between a replica and the backend"`
	Transport       TransportConfig `omit:"Transport.MaxConnsPerHost"`
	MaxConnsPerHost int             `key:"backend.MaxConnsPerHost" min:"0" max:"1e7" help:"Transport.MaxConnsPerHost of each replica's Transport to the backend (0: unlimited)"`
}

// Config returns the backend's settings.
func (c BackendConfig) Config() backend.Config {
	tc := transport.Config(c.Transport)
	tc.MaxConnsPerHost = c.MaxConnsPerHost
	return backend.Config{Workers: c.Workers, Latency: c.Latency, Transport: tc}
}

// NetConfig is the path between clients and servers.
type NetConfig struct {
	RTT        time.Duration `key:"net.rtt" min:"0" max:"100s" help:"client–server round-trip time"`
	Bandwidth  float64       `key:"net.bandwidth" unit:"B/s" min:"0" max:"1e13" help:"path bandwidth per direction (1.25MB = 10 Mbit/s; 0: unlimited)"`
	Loss       float64       `key:"net.loss" min:"0" max:"0.5" help:"per-segment loss probability"`
	Congestion string        `key:"tcp.congestion" enum:"cubic,reno" help:"congestion control"`
	TLS        string        `key:"tls" enum:"none,1.2,1.3" help:"TLS version (handshake RTTs)"`
}

// OpenLoop is the open-loop arrival rate: requests arrive whether or not
// earlier ones finished. mmc shares it.
type OpenLoop struct {
	Rate float64 `key:"load.rate" unit:"req/s" min:"0" max:"1e9" range:"1000,1000000" help:"open-loop request arrivals per second (Poisson)"`
}

// LoadConfig are the open- and closed-loop workloads.
type LoadConfig struct {
	OpenLoop
	Constant bool          `key:"load.constant" help:"constant inter-arrival times instead of Poisson"`
	Steps    string        `key:"load.steps" help:"rate changes TIME:RATE,... (e.g. 2s:50000,4s:5000)"`
	Clients  int           `key:"load.clients" min:"0" max:"1e7" range:"1,200" help:"closed-loop clients: each sends a request, waits for its response (and think time) and sends the next"`
	Ramp     time.Duration `key:"load.ramp" min:"0" max:"1e13" help:"closed-loop clients start spread over this span"`
}

// TransportConfig is http.Transport's connection pool, field for field
// model/transport's Config (a conversion either way).
type TransportConfig struct {
	MaxIdleConns        int           `key:"Transport.MaxIdleConns" min:"0" max:"1e6" help:"idle conns across hosts (0: unlimited)"`
	MaxIdleConnsPerHost int           `key:"Transport.MaxIdleConnsPerHost" min:"-1" max:"1e6" range:"-1,100" help:"idle conns kept per host (0 means 2; -1 disables keep-alives)"`
	MaxConnsPerHost     int           `key:"Transport.MaxConnsPerHost" min:"0" max:"1e7" range:"0,100" help:"conns per host, dialing+active+idle; requests beyond it wait for one (0: unlimited, Go's default)"`
	IdleConnTimeout     time.Duration `key:"Transport.IdleConnTimeout" min:"0" max:"24h" help:"idle conns are closed after this (0: never)"`
	DisableKeepAlives   bool          `key:"Transport.DisableKeepAlives" help:"close every conn after one request"`
}

// SessionConfig are client sessions: each dials its own connection, sends
// Requests requests and closes.
type SessionConfig struct {
	Rate     float64 `key:"session.rate" unit:"sessions/s" min:"0" max:"1e8" range:"0,20000" help:"new client sessions per second (Poisson), each on its own connection"`
	Requests int     `key:"session.requests" min:"1" max:"1e9" help:"requests per session (separated by load.think) before the client closes"`
}

// ClientConfig is how every client behaves.
type ClientConfig struct {
	Think     dist.Dist     `key:"load.think" help:"client think time between a response and its next request"`
	Header    int64         `key:"request.header" unit:"B" min:"16" max:"1GiB" help:"request line and headers on the wire"`
	Body      int64         `key:"request.body" unit:"B" min:"0" max:"1099511627776" help:"request body bytes"`
	Timeout   time.Duration `key:"client.timeout" min:"0" max:"1e13" help:"http.Client.Timeout (0: none)"`
	Retries   int           `key:"client.retries" min:"0" max:"100" help:"retries of a request failed by timeout, EOF or refusal"`
	KeepAlive bool          `key:"client.keepalive" help:"reuse connections (false: DisableKeepAlives)"`
	OnHost    bool          `key:"client.onhost" help:"the load generator runs on the server's host cores and needs client.cpu per request (one server replica)"`
	CPU       dist.Dist     `key:"client.cpu" help:"client-side CPU per request on the host it shares with the server: Transport, readLoop/writeLoop, syscalls (pool: fitted, see poolClientCPU; HTTP stack: only with client.onhost, an assumption)"`
}

// SlowlorisConfig is the slowloris attack.
type SlowlorisConfig struct {
	Rate     float64       `key:"slowloris.rate" unit:"conns/s" min:"0" max:"1e7" help:"new slowloris connections per second (Poisson)"`
	Interval time.Duration `key:"slowloris.interval" min:"1" max:"1e13" help:"a slowloris connection sends a header byte this often"`
	Start    time.Duration `key:"slowloris.start" min:"0" max:"1e13" help:"when the attack starts"`
	Stop     time.Duration `key:"slowloris.stop" min:"0" max:"1e13" help:"when the attack stops opening connections (0: never)"`
}

// HTTPConfig is the whole HTTP stack.
type HTTPConfig struct {
	Runtime    RuntimeConfig
	Host       HostConfig
	Handler    HandlerConfig
	ServerCost ServerCostConfig
	Server     ServerConfig
	DB         DBConfig
	Backend    BackendConfig
	Net        NetConfig
	Load       LoadConfig
	Transport  TransportConfig `only:"Transport.MaxConnsPerHost"`
	Session    SessionConfig
	Client     ClientConfig
	Slowloris  SlowlorisConfig
	scenario.Run
}

// DefaultHTTPConfig returns the stack's defaults: Go's own where Go has
// one (net/http's, database/sql's, the kernel's), the models' calibrated
// costs otherwise.
func DefaultHTTPConfig() HTTPConfig {
	return HTTPConfig{
		Runtime: defaultRuntime(8),
		Host:    HostConfig{Period: host.DefaultPeriod},
		Handler: HandlerConfig{
			Kind: "hello", CPU: dist.Const{V: 500}, Sequence: "cpu(5us)+db(exp(2ms))+cpu(3us)",
			Sleep: dist.Const{V: float64(10 * time.Millisecond)}, Query: dist.Exp{M: float64(2 * time.Millisecond)},
			Alloc: dist.Const{V: 2048}, MiddlewareCPU: dist.Const{V: 300},
		},
		ServerCost: ServerCostConfig{CPU: dist.Const{V: float64(httpserver.DefaultRequestCPU)},
			Stack: httpserver.DefaultConnStack, AcceptCPU: httpserver.DefaultAcceptCPU},
		Server: ServerConfig{Replicas: 1, Policy: lb.RoundRobin, MaxHeaderBytes: httpserver.DefaultMaxHeaderBytes,
			Somaxconn: tcp.DefaultSomaxconn, FDLimit: 1 << 20},
		DB: DBConfig{MaxIdleConns: sql.DefaultMaxIdleConns, Workers: 16},
		// The backend's Transport starts as http.DefaultTransport:
		// MaxIdleConns 100, IdleConnTimeout 90 s, MaxIdleConnsPerHost
		// unset (2). Its 64 workers and 200 µs RTT are assumptions.
		Backend:   BackendConfig{Workers: 64, Latency: 200 * time.Microsecond, Transport: TransportConfig(transport.DefaultConfig())},
		Net:       NetConfig{Congestion: "cubic", TLS: "none"},
		Load:      LoadConfig{OpenLoop: OpenLoop{Rate: 100000}},
		Transport: TransportConfig(transport.DefaultConfig()),
		Session:   SessionConfig{Requests: 10},
		Client:    ClientConfig{Think: dist.Const{}, Header: 100, KeepAlive: true, CPU: dist.Const{V: float64(DefaultClientCPU)}},
		Slowloris: SlowlorisConfig{Interval: 10 * time.Second},
		Run:       scenario.Run{Duration: time.Second},
	}
}

// DefaultClientCPU is client.cpu's default: an assumption of the order of
// magnitude of a Go http.Client's CPU per request on a keep-alive
// connection (write, read, the Transport's readLoop), not a measurement;
// measure your load generator and set it.
const DefaultClientCPU = 20 * time.Microsecond

// Procs returns the effective GOMAXPROCS and host cores of one server
// replica. GOMAXPROCS=0 is the runtime's default for the host
// (host.DefaultGOMAXPROCS: min(cores, max(2, ceil(quota)))); host.cores=0
// is one core per P.
func (c *HTTPConfig) Procs() (procs, cores int, err error) {
	procs, cores = c.Runtime.GOMAXPROCS, c.Host.Cores
	if procs == 0 {
		switch {
		case cores > 0:
			procs = host.DefaultGOMAXPROCS(cores, c.Host.Quota)
		case c.Host.Quota > 0:
			procs = host.DefaultGOMAXPROCS(1<<16, c.Host.Quota)
		default:
			return 0, 0, fmt.Errorf("GOMAXPROCS=0 (the runtime's default) needs host.cores or host.cpu.quota: the default is min(host.cores, max(2, ceil(host.cpu.quota)))")
		}
	}
	if cores == 0 {
		cores = procs
	}
	return procs, cores, nil
}

// GMP returns the scheduler's config for one server replica.
func (c *RuntimeConfig) GMP() gmp.Config {
	g := gmp.DefaultConfig()
	g.GOMAXPROCS, g.CtxSwitch, g.GoCreate = c.GOMAXPROCS, c.CtxSwitch, c.GoCreate
	return g
}
