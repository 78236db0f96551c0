package family

import (
	"runtime"
	"sync"
)

// Parallel runs f(0..n-1) on at most workers goroutines (0 = one per CPU)
// and returns the error of the lowest index that failed. Results must not
// depend on scheduling: each f(i) uses only its own random streams.
func Parallel(n, workers int, f func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	errs := make([]error, n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			errs[i] = f(i)
		}
	} else {
		next := make(chan int)
		var wg sync.WaitGroup
		for k := 0; k < workers; k++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					errs[i] = f(i)
				}
			}()
		}
		for i := 0; i < n; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
