// Command selfconsume runs self-consuming training experiments: several
// generative models retrained, generation after generation, on curated and
// raw samples of their own and each other's, checked against theory.
package main

import (
	"errors"
	"fmt"
	"os"

	"selfconsume/train"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "selfconsume:", err)
		if errors.Is(err, train.ErrInterrupted) {
			os.Exit(130)
		}
		os.Exit(1)
	}
}
