package main

import (
	"fmt"
	"sync"
)

type Logger struct {
	prefix string
	lines  []string
}

func (l *Logger) Logf(format string, args ...any) {
	l.lines = append(l.lines, l.prefix+fmt.Sprintf(format, args...))
}

type Animal interface {
	Sound() string
	Name() string
}

type Base struct{ name string }

func (b Base) Name() string { return b.name }

type Dog struct {
	Base
	breed string
}

func (Dog) Sound() string { return "woof" }

type Cat struct{ Base }

func (c Cat) Sound() string { return "meow" }
func (c Cat) Name() string  { return "cat " + c.Base.Name() }

type Counter struct {
	sync.Mutex
	*Logger
	n int
}

func (c *Counter) Inc() {
	c.Lock()
	defer c.Unlock()
	c.n++
	c.Logf("n=%d", c.n)
}

func main() {
	animals := []Animal{Dog{Base{"rex"}, "lab"}, Cat{Base{"tom"}}}
	for _, a := range animals {
		fmt.Printf("%s says %s\n", a.Name(), a.Sound())
	}
	c := &Counter{Logger: &Logger{prefix: "[c] "}}
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); c.Inc() }()
	}
	wg.Wait()
	fmt.Println(c.n, len(c.lines))
	inc := c.Inc
	inc()
	fmt.Println(c.lines[len(c.lines)-1])
	d := Dog{Base{"fido"}, "pug"}
	fmt.Printf("%+v %v\n", d, d.Base)
	sound := Animal.Sound
	fmt.Println(sound(d))
}
