package config

import "fmt"

// Error is a config error: it names the key at fault, its value and what
// is allowed.
type Error struct {
	Key     string
	Value   any
	Allowed string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s = %v: %s", e.Key, e.Value, e.Allowed)
}

// Invalid is the error for key's value: allowed (a format with args) says
// what the key accepts. Families' validators use it for their own keys.
func Invalid(key string, value any, allowed string, args ...any) error {
	return &Error{Key: key, Value: value, Allowed: fmt.Sprintf(allowed, args...)}
}

func bad(key string, value any, allowed string, args ...any) error {
	return Invalid(key, value, allowed, args...)
}
