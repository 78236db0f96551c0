package models

import (
	"reflect"
	"unsafe"

	G "gorgonia.org/gorgonia"
)

// rewinder restarts a tape machine for the next step. gorgonia's Reset drops
// every intermediate buffer, so each step allocates them all again; rewinding
// only the program counter keeps them, and every instruction then writes
// into its previous buffer (gorgonia's own UsePreallocDo path). The counter
// is an unexported field of gorgonia's tapeMachine, reached by reflection:
// if a gorgonia version lacks it, rewinding falls back to Reset.
// TestRewindMatchesReset holds the two bit for bit.
type rewinder struct {
	vm G.VM
	pc *int // nil: use Reset
}

func newRewinder(vm G.VM) rewinder {
	r := rewinder{vm: vm}
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

// rewind readies the machine for the next RunAll.
func (r rewinder) rewind() {
	if r.pc == nil || !fastRewind {
		r.vm.Reset()
		return
	}
	*r.pc = 0
}

// fastRewind switches rewinding on; tests turn it off to compare.
var fastRewind = true
