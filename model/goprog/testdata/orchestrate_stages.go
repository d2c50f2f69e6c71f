package main

import (
	"fmt"
	"strings"
	"sync"
)

type Order struct {
	ID    int
	Items []string
}

type Packed struct {
	Order
	Box string
}

func receive(orders []Order) <-chan Order {
	out := make(chan Order)
	go func() {
		defer close(out)
		for _, o := range orders {
			out <- o
		}
	}()
	return out
}

func pack(in <-chan Order, workers int) <-chan Packed {
	out := make(chan Packed)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range in {
				size := "small"
				if len(o.Items) > 2 {
					size = "large"
				}
				out <- Packed{o, size}
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()
	return out
}

func main() {
	orders := []Order{{1, []string{"pen"}}, {2, []string{"book", "lamp", "mug"}}, {3, []string{"cup", "tea"}}, {4, nil}}
	byID := map[int]Packed{}
	for p := range pack(receive(orders), 2) {
		byID[p.ID] = p
	}
	for id := 1; id <= len(orders); id++ {
		p := byID[id]
		fmt.Printf("order %d: %-5s [%s]\n", id, p.Box, strings.Join(p.Items, ","))
	}
}
