package main

import (
	"errors"
	"fmt"
	"strconv"
)

type NotFoundError struct{ Key string }

func (e NotFoundError) Error() string { return "not found: " + e.Key }

var ErrPermission = errors.New("permission denied")

type store map[string]string

func (s store) get(user, key string) (string, error) {
	if user != "admin" {
		return "", fmt.Errorf("get %q as %s: %w", key, user, ErrPermission)
	}
	v, ok := s[key]
	if !ok {
		return "", fmt.Errorf("get: %w", NotFoundError{key})
	}
	return v, nil
}

func main() {
	s := store{"port": "8080"}
	for _, c := range []struct{ user, key string }{{"admin", "port"}, {"bob", "port"}, {"admin", "host"}} {
		v, err := s.get(c.user, c.key)
		var nf NotFoundError
		switch {
		case err == nil:
			p, _ := strconv.Atoi(v)
			fmt.Println("value", p+1)
		case errors.Is(err, ErrPermission):
			fmt.Println("denied:", err)
		case errors.As(err, &nf):
			fmt.Println("missing key", nf.Key, "|", err, "|", errors.Unwrap(err) == nf)
		}
	}
	joined := errors.Join(ErrPermission, NotFoundError{"x"})
	fmt.Println(errors.Is(joined, ErrPermission), joined)
	_, err := strconv.Atoi("abc")
	fmt.Println(err)
}
