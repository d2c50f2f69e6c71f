package main

import (
	"fmt"
	"sort"
	"sync"
)

type Broker struct {
	mu   sync.Mutex
	subs map[string][]chan string
}

func NewBroker() *Broker { return &Broker{subs: map[string][]chan string{}} }

func (b *Broker) Subscribe(topic string) <-chan string {
	ch := make(chan string, 4)
	b.mu.Lock()
	b.subs[topic] = append(b.subs[topic], ch)
	b.mu.Unlock()
	return ch
}

func (b *Broker) Publish(topic, msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, ch := range b.subs[topic] {
		ch <- msg
	}
}

func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, subs := range b.subs {
		for _, ch := range subs {
			close(ch)
		}
	}
}

func main() {
	b := NewBroker()
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string][]string{}
	for _, name := range []string{"alice", "bob"} {
		ch := b.Subscribe("news")
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range ch {
				mu.Lock()
				got[name] = append(got[name], m)
				mu.Unlock()
			}
		}()
	}
	sports := b.Subscribe("sports")
	b.Publish("news", "go 1.26 released")
	b.Publish("sports", "match tonight")
	b.Publish("news", "gophers everywhere")
	b.Close()
	wg.Wait()
	names := make([]string, 0, len(got))
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Println(n, got[n])
	}
	for m := range sports {
		fmt.Println("sports:", m)
	}
}
