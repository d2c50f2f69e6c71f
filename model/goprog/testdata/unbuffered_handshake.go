package main

import "fmt"

func main() {
	ready := make(chan struct{})
	data := make(chan string)
	ack := make(chan bool)
	go func() {
		<-ready
		for _, s := range []string{"alpha", "beta", "gamma"} {
			data <- s
			fmt.Println("acked", <-ack)
		}
		close(data)
	}()
	close(ready)
	for s := range data {
		fmt.Println("got", s)
		ack <- len(s) > 4
	}
	fmt.Println("end")
}
