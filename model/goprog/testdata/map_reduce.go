package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

func mapper(doc string, out chan<- map[string]int) {
	counts := map[string]int{}
	for _, w := range strings.Fields(doc) {
		counts[strings.Trim(strings.ToLower(w), ".,!")]++
	}
	out <- counts
}

func main() {
	docs := []string{
		"Go is expressive, concise, clean, and efficient.",
		"Its concurrency mechanisms make it easy to write programs.",
		"Go compiles quickly to machine code. Go is fun!",
	}
	parts := make(chan map[string]int, len(docs))
	var wg sync.WaitGroup
	for _, d := range docs {
		wg.Add(1)
		go func() { defer wg.Done(); mapper(d, parts) }()
	}
	wg.Wait()
	close(parts)
	total := map[string]int{}
	for p := range parts {
		for w, c := range p {
			total[w] += c
		}
	}
	type wc struct {
		w string
		c int
	}
	var list []wc
	for w, c := range total {
		list = append(list, wc{w, c})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].c != list[j].c {
			return list[i].c > list[j].c
		}
		return list[i].w < list[j].w
	})
	for _, x := range list[:4] {
		fmt.Printf("%-12s %d\n", x.w, x.c)
	}
}
