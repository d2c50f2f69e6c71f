package main

import "fmt"

type node struct {
	key, val   int
	prev, next *node
}

type LRU struct {
	cap        int
	items      map[int]*node
	head, tail *node
}

func NewLRU(c int) *LRU {
	l := &LRU{cap: c, items: map[int]*node{}, head: &node{}, tail: &node{}}
	l.head.next, l.tail.prev = l.tail, l.head
	return l
}

func (l *LRU) unlink(n *node) { n.prev.next, n.next.prev = n.next, n.prev }
func (l *LRU) front(n *node) {
	n.next, n.prev = l.head.next, l.head
	l.head.next.prev = n
	l.head.next = n
}

func (l *LRU) Get(k int) (int, bool) {
	n, ok := l.items[k]
	if !ok {
		return 0, false
	}
	l.unlink(n)
	l.front(n)
	return n.val, true
}

func (l *LRU) Put(k, v int) {
	if n, ok := l.items[k]; ok {
		n.val = v
		l.unlink(n)
		l.front(n)
		return
	}
	if len(l.items) == l.cap {
		old := l.tail.prev
		l.unlink(old)
		delete(l.items, old.key)
		fmt.Println("evict", old.key)
	}
	n := &node{key: k, val: v}
	l.items[k] = n
	l.front(n)
}

func main() {
	c := NewLRU(2)
	c.Put(1, 10)
	c.Put(2, 20)
	fmt.Println(c.Get(1))
	c.Put(3, 30)
	fmt.Println(c.Get(2))
	c.Put(4, 40)
	fmt.Println(c.Get(1))
	fmt.Println(c.Get(3))
	fmt.Println(c.Get(4))
}
