//go:build !amd64 || noasm

package models

func reluForward32(y, x []float32)       { reluForward(y, x) }
func reluBackward32(dx, x, dy []float32) { reluBackward(dx, x, dy) }
