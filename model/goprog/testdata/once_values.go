package main

import (
	"fmt"
	"sync"
)

var calls int

func loadConfig() (map[string]string, error) {
	calls++
	return map[string]string{"env": "prod"}, nil
}

func main() {
	get := sync.OnceValues(loadConfig)
	greet := sync.OnceFunc(func() { fmt.Println("hello once") })
	count := sync.OnceValue(func() int { calls += 10; return calls })
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			greet()
			cfg, err := get()
			if err != nil || cfg["env"] != "prod" {
				panic("bad config")
			}
		}()
	}
	wg.Wait()
	c1, c2 := count(), count()
	fmt.Println("calls", calls, "count", c1, c2)
}
