package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

func fetch(ctx context.Context, url string, d time.Duration) (string, error) {
	select {
	case <-time.After(d):
		if url == "bad" {
			return "", errors.New("fetch " + url + ": 500")
		}
		return "body of " + url, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func main() {
	g, ctx := errgroup.WithContext(context.Background())
	urls := []string{"a", "bad", "c"}
	delays := []time.Duration{10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond}
	results := make([]string, len(urls))
	for i, u := range urls {
		g.Go(func() error {
			body, err := fetch(ctx, u, delays[i])
			if err != nil {
				return err
			}
			results[i] = body
			return nil
		})
	}
	err := g.Wait()
	fmt.Printf("err=%v results=%q\n", err, results)

	var lg errgroup.Group
	lg.SetLimit(2)
	var mu sync.Mutex
	maxActive, active := 0, 0
	for i := 0; i < 6; i++ {
		lg.Go(func() error {
			mu.Lock()
			active++
			maxActive = max(maxActive, active)
			mu.Unlock()
			time.Sleep(5 * time.Millisecond)
			mu.Lock()
			active--
			mu.Unlock()
			return nil
		})
	}
	fmt.Println(lg.Wait(), "max active", maxActive)
}
