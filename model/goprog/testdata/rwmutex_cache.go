package main

import (
	"fmt"
	"sync"
)

type Cache struct {
	mu   sync.RWMutex
	data map[int]string
	hits int
}

func (c *Cache) Get(k int) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.data[k]
	return v, ok
}

func (c *Cache) Set(k int, v string) {
	c.mu.Lock()
	c.data[k] = v
	c.mu.Unlock()
}

func main() {
	c := &Cache{data: map[int]string{}}
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.Set(i, fmt.Sprint("v", i*i))
		}()
	}
	wg.Wait()
	var mu sync.Mutex
	found := 0
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok := c.Get(i); ok {
				mu.Lock()
				found++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	v, _ := c.Get(3)
	fmt.Println("found", found, "v3", v, "size", len(c.data))
}
