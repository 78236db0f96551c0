package models

import (
	"reflect"
	"unsafe"

	G "gorgonia.org/gorgonia"
)

// Rewinder restarts a tape machine for the next step. gorgonia's Reset drops
// every intermediate buffer, so each step allocates them all again; rewinding
// only the program counter keeps them, and every instruction then writes
// into its previous buffer (gorgonia's own UsePreallocDo path). The counter
// is an unexported field of gorgonia's tapeMachine, reached by reflection:
// if a gorgonia version lacks it, rewinding falls back to Reset.
// TestRewindMatchesReset holds the two bit for bit.
type Rewinder struct {
	vm G.VM
	pc *int // nil: use Reset
}

// NewRewinder returns the rewinder of a tape machine.
func NewRewinder(vm G.VM) Rewinder {
	r := Rewinder{vm: vm}
	v := reflect.ValueOf(vm)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return r
	}
	f := v.Elem().FieldByName("pc")
	if f.IsValid() && f.Kind() == reflect.Int && f.CanAddr() {
		r.pc = (*int)(unsafe.Pointer(f.UnsafeAddr()))
	}
	return r
}

// Fast reports whether rewinding moves only the program counter (false:
// it calls Reset).
func (r Rewinder) Fast() bool { return r.pc != nil }

// Resetting returns a rewinder of the same machine that always calls Reset,
// for tests that hold the two to the same bits.
func (r Rewinder) Resetting() Rewinder { return Rewinder{vm: r.vm} }

// Rewind readies the machine for the next RunAll.
func (r Rewinder) Rewind() {
	if r.pc == nil {
		r.vm.Reset()
		return
	}
	*r.pc = 0
}
