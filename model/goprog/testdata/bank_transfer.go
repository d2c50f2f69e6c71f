package main

import (
	"errors"
	"fmt"
	"sync"
)

var ErrInsufficient = errors.New("insufficient funds")

type Account struct {
	mu      sync.Mutex
	id      int
	balance int
}

func transfer(from, to *Account, amount int) error {
	first, second := from, to
	if from.id > to.id {
		first, second = to, from
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()
	if from.balance < amount {
		return fmt.Errorf("transfer %d from %d: %w", amount, from.id, ErrInsufficient)
	}
	from.balance -= amount
	to.balance += amount
	return nil
}

func main() {
	a, b := &Account{id: 1, balance: 100}, &Account{id: 2, balance: 50}
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed := 0
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			if i%2 == 0 {
				err = transfer(a, b, 15)
			} else {
				err = transfer(b, a, 10)
			}
			if errors.Is(err, ErrInsufficient) {
				mu.Lock()
				failed++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	fmt.Println("a", a.balance, "b", b.balance, "total", a.balance+b.balance, "failed", failed)
}
