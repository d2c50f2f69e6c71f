package calibrate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"time"
)

// Drive drives a loopback HTTP/1.1 server with a lean client: conns
// keep-alive connections, each sending GET path and reading the whole
// response before the next (no pipelining), until n requests are done in
// total or d has passed (whichever is set; n ≤ 0 means "until d"). It
// returns the number of completed requests and the wall time taken.
//
// The client parses only the header end and Content-Length into a fixed
// buffer, so its own CPU and allocation are small and nearly constant per
// request; [Measure] removes them by running the same client against a
// canned-response server.
func Drive(ctx context.Context, addr, path string, conns, n int, d time.Duration) (int, time.Duration, error) {
	if conns < 1 {
		return 0, 0, errors.New("calib: conns must be at least 1")
	}
	if n <= 0 && d <= 0 {
		return 0, 0, errors.New("calib: need a request count or a duration")
	}
	req := []byte("GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nUser-Agent: gohttpsim-calib\r\n\r\n")
	var (
		mu    sync.Mutex
		done  int
		first error
	)
	deadline := time.Time{}
	if d > 0 {
		deadline = time.Now().Add(d)
	}
	take := func() bool { // claims one request; false when the budget is spent
		mu.Lock()
		defer mu.Unlock()
		if first != nil || (n > 0 && done >= n) || ctx.Err() != nil {
			return false
		}
		done++
		return true
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var dl net.Dialer
			c, err := dl.DialContext(ctx, "tcp", addr)
			if err != nil {
				mu.Lock()
				first = cmpErr(first, err)
				mu.Unlock()
				return
			}
			defer c.Close()
			buf := make([]byte, 64<<10)
			for take() {
				if !deadline.IsZero() && time.Now().After(deadline) {
					mu.Lock()
					done--
					mu.Unlock()
					return
				}
				if err := roundTrip(c, req, buf); err != nil {
					mu.Lock()
					done--
					first = cmpErr(first, err)
					mu.Unlock()
					return
				}
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return done, time.Since(start), first
	}
	return done, time.Since(start), ctx.Err()
}

func cmpErr(old, err error) error {
	if old != nil {
		return old
	}
	return err
}

var (
	crlf2 = []byte("\r\n\r\n")
	clKey = []byte("\r\ncontent-length:")
)

// roundTrip writes req and reads one response with a Content-Length into
// buf (which must hold the whole response).
func roundTrip(c net.Conn, req, buf []byte) error {
	if _, err := c.Write(req); err != nil {
		return err
	}
	have := 0
	want := -1
	for want < 0 || have < want {
		if have == len(buf) {
			return errors.New("calib: response larger than the client buffer")
		}
		m, err := c.Read(buf[have:])
		if err != nil {
			return err
		}
		have += m
		if want < 0 {
			end := bytes.Index(buf[:have], crlf2)
			if end < 0 {
				continue
			}
			cl, err := contentLength(buf[:end+2])
			if err != nil {
				return err
			}
			want = end + 4 + cl
		}
	}
	if have != want {
		return fmt.Errorf("calib: %d bytes beyond the response", have-want)
	}
	return nil
}

// contentLength finds Content-Length in a header block, case-insensitively,
// without allocating.
func contentLength(h []byte) (int, error) {
	for i := 0; i+len(clKey) <= len(h); i++ {
		if !equalFold(h[i:i+len(clKey)], clKey) {
			continue
		}
		j := i + len(clKey)
		for j < len(h) && h[j] == ' ' {
			j++
		}
		k := j
		for k < len(h) && h[k] >= '0' && h[k] <= '9' {
			k++
		}
		return strconv.Atoi(string(h[j:k]))
	}
	return 0, errors.New("calib: response without Content-Length")
}

func equalFold(a, b []byte) bool {
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
