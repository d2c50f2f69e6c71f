package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

var bufPool = sync.Pool{
	New: func() any { return new(strings.Builder) },
}

func render(id int) string {
	b := bufPool.Get().(*strings.Builder)
	defer bufPool.Put(b)
	b.Reset()
	fmt.Fprintf(b, "item-%02d", id)
	return b.String()
}

func main() {
	var m sync.Map
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m.Store(i, render(i))
		}()
	}
	wg.Wait()
	v, ok := m.Load(3)
	fmt.Println(v, ok)
	actual, loaded := m.LoadOrStore(3, "other")
	fmt.Println(actual, loaded)
	m.Delete(5)
	var keys []int
	m.Range(func(k, v any) bool {
		keys = append(keys, k.(int))
		return true
	})
	sort.Ints(keys)
	fmt.Println(keys)
}
