package main

import (
	"fmt"
	"sync"
)

func safeGo(wg *sync.WaitGroup, name string, f func()) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			if r := recover(); r != nil {
				fmt.Printf("%s recovered: %v\n", name, r)
			}
		}()
		f()
	}()
}

type custom struct{ code int }

func main() {
	var wg sync.WaitGroup
	safeGo(&wg, "div", func() {
		a, b := 1, 0
		fmt.Println(a / b)
	})
	safeGo(&wg, "custom", func() { panic(custom{42}) })
	safeGo(&wg, "ok", func() { fmt.Println("ok ran") })
	safeGo(&wg, "type", func() {
		var x any = "str"
		_ = x.(int)
	})
	wg.Wait()
	fmt.Println("all done")
	var m map[string]int
	go func() {
		m["boom"] = 1
	}()
	select {}
}
