package child

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

// clientMain is the client role: see the package doc.
func clientMain(args []string) error {
	fs := flag.NewFlagSet("client", flag.ContinueOnError)
	cpu := fs.Int("cpu", -1, "pin to this CPU")
	addr := fs.String("addr", "", "server address")
	rate := fs.Float64("rate", 1000, "arrivals per second (Poisson)")
	mean := fs.Duration("mean", 0, "mean service time (exponential)")
	alloc := fs.Int("alloc", 0, "bytes the handler allocates per request")
	span := fs.Duration("span", 2*time.Second, "how long to send")
	conns := fs.Int("conns", 64, "keep-alive connections")
	seed := fs.Uint64("seed", 1, "seed of the arrival and service streams")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := pin(*cpu); err != nil {
		return err
	}
	res := runClient(*addr, *rate, *mean, *alloc, *span, *conns, *seed)
	return json.NewEncoder(os.Stdout).Encode(res)
}

type clientConn struct {
	c  net.Conn
	rw *bufio.ReadWriter
}

func runClient(addr string, rate float64, mean time.Duration, alloc int, span time.Duration, conns int, seed uint64) ClientResult {
	var res ClientResult
	r := rand.New(rand.NewPCG(seed, 0x636c69))
	pool := make(chan *clientConn, conns)
	var all []*clientConn
	defer func() {
		for _, c := range all {
			c.c.Close()
		}
	}()
	for range conns {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		cc := &clientConn{c: c, rw: bufio.NewReadWriter(bufio.NewReader(c), bufio.NewWriter(c))}
		all = append(all, cc)
		pool <- cc
	}
	var (
		mu   sync.Mutex
		lat  []int64
		errs int
		wg   sync.WaitGroup
		busy time.Duration
	)
	start := time.Now()
	next := start
	for time.Since(start) < span {
		next = next.Add(time.Duration(r.ExpFloat64() / rate * 1e9))
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		}
		var svc time.Duration
		if mean > 0 {
			svc = time.Duration(r.ExpFloat64() * float64(mean))
		}
		busy += svc
		res.Sent++
		cc := <-pool
		wg.Add(1)
		go func() {
			defer wg.Done()
			t0 := time.Now()
			fmt.Fprintf(cc.rw, "GET /?ns=%d&b=%d HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", svc.Nanoseconds(), alloc)
			err := cc.rw.Flush()
			var resp *http.Response
			if err == nil {
				resp, err = http.ReadResponse(cc.rw.Reader, nil)
			}
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			d := time.Since(t0)
			pool <- cc
			mu.Lock()
			if err == nil {
				lat = append(lat, int64(d))
			} else {
				errs++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	slices.Sort(lat)
	res.Done, res.Span = len(lat), el.Seconds()
	res.Rate = float64(res.Sent) / el.Seconds()
	res.Busy = busy.Seconds() / el.Seconds()
	if errs > 0 {
		res.Error = fmt.Sprintf("%d of %d requests failed", errs, res.Sent)
	}
	if len(lat) > 0 {
		res.P50 = float64(lat[len(lat)/2])
		res.P99 = float64(lat[min(len(lat)-1, len(lat)*99/100)])
		var s float64
		for _, v := range lat {
			s += float64(v)
		}
		res.Mean = s / float64(len(lat))
	}
	return res
}
