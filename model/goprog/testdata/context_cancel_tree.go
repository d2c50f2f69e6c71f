package main

import (
	"context"
	"fmt"
	"sync"
)

func child(ctx context.Context, name string, wg *sync.WaitGroup, out chan<- string) {
	defer wg.Done()
	<-ctx.Done()
	out <- name + ": " + ctx.Err().Error()
}

func main() {
	root, cancelRoot := context.WithCancel(context.Background())
	mid, cancelMid := context.WithCancel(root)
	defer cancelMid()
	leaf, cancelLeaf := context.WithCancel(mid)
	defer cancelLeaf()
	other, cancelOther := context.WithCancel(root)
	out := make(chan string, 4)
	var wg sync.WaitGroup
	wg.Add(3)
	go child(mid, "mid", &wg, out)
	go child(leaf, "leaf", &wg, out)
	go child(other, "other", &wg, out)
	cancelOther()
	fmt.Println("other cancelled first; root err:", root.Err())
	cancelRoot()
	wg.Wait()
	close(out)
	n := 0
	for range out {
		n++
	}
	fmt.Println(n, "children stopped; leaf:", leaf.Err(), "root:", root.Err())
}
