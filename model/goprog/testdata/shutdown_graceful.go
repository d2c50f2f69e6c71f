package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

type Server struct {
	wg       sync.WaitGroup
	mu       sync.Mutex
	handled  int
	requests chan int
}

func (s *Server) serve(ctx context.Context, workers int) {
	for i := 0; i < workers; i++ {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case r := <-s.requests:
					time.Sleep(time.Duration(r) * time.Millisecond)
					s.mu.Lock()
					s.handled++
					s.mu.Unlock()
				}
			}
		}()
	}
}

func main() {
	s := &Server{requests: make(chan int)}
	ctx, stop := context.WithCancel(context.Background())
	s.serve(ctx, 3)
	for i := 0; i < 9; i++ {
		s.requests <- 2
	}
	time.Sleep(20 * time.Millisecond)
	stop()
	s.wg.Wait()
	fmt.Println("handled", s.handled, "then shut down:", ctx.Err())
}
