package main

import (
	"fmt"
	"sync"
)

type Job struct {
	ID    int
	Input int
}

type Result struct {
	JobID  int
	Output int
	Worker int
}

func worker(id int, jobs <-chan Job, results chan<- Result, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- Result{JobID: j.ID, Output: j.Input * j.Input, Worker: id}
	}
}

func main() {
	jobs := make(chan Job, 10)
	results := make(chan Result, 10)
	var wg sync.WaitGroup
	for w := 1; w <= 3; w++ {
		wg.Add(1)
		go worker(w, jobs, results, &wg)
	}
	for i := 1; i <= 9; i++ {
		jobs <- Job{ID: i, Input: i + 1}
	}
	close(jobs)
	go func() {
		wg.Wait()
		close(results)
	}()
	total := 0
	for r := range results {
		fmt.Printf("job %d -> %d (worker %d)\n", r.JobID, r.Output, r.Worker)
		total += r.Output
	}
	fmt.Println("total", total)
}
