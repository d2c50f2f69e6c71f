package validate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// realServer is a real net/http server on 127.0.0.1:0.
type realServer struct {
	srv  *http.Server
	ln   net.Listener
	Addr string
	done chan error
}

// startServer starts srv (its Handler and timeouts set by the caller) on a
// fresh loopback listener. Close stops it and waits for Serve to return.
func startServer(srv *http.Server) (*realServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	s := &realServer{srv: srv, ln: ln, Addr: ln.Addr().String(), done: make(chan error, 1)}
	go func() { s.done <- srv.Serve(ln) }()
	return s, nil
}

// Close closes the listener and every connection (http.Server.Close) and
// waits until Serve has returned, so no server goroutine outlives it.
func (s *realServer) Close() error {
	err := s.srv.Close()
	select {
	case serr := <-s.done:
		if serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
			err = serr
		}
	case <-time.After(5 * time.Second):
		return errors.New("server did not stop within 5s")
	}
	return err
}

// dialLoopback dials the server with the context's deadline.
func dialLoopback(ctx context.Context, addr string) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, "tcp", addr)
}
