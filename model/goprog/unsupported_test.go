package goprog

import (
	"strings"
	"testing"
)

// TestUnsupported checks each "unsupported" message of Compile: the
// position of the construct and what it names.
func TestUnsupported(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"package", "package lib\nfunc main() {}\n", "p.go:1:9: unsupported: package lib (only package main)"},
		{"import", "package main\nimport \"net/http\"\nfunc main() { _ = http.StatusOK }\n", "p.go:2:8: unsupported: import \"net/http\""},
		{"function", "package main\nimport \"strings\"\nfunc main() { _ = strings.NewReader(\"x\") }\n", "p.go:3:36: unsupported: strings.NewReader"},
		{"method", "package main\nimport \"time\"\nfunc main() { _ = time.Now().Weekday() }\n", "p.go:3:37: unsupported: (time.Time).Weekday"},
		{"func value", "package main\nimport \"strings\"\nvar f = strings.NewReplacer\nfunc main() { println(f != nil) }\n", "p.go:3:5: unsupported: strings.NewReplacer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile("p.go", []byte(tt.src))
			if err == nil {
				t.Fatalf("compiled; want %q", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %q\nwant %q", err.Error(), tt.want)
			}
			if !strings.Contains(err.Error(), "unsupported: ") {
				t.Errorf("not an unsupported error: %v", err)
			}
		})
	}
}

// TestNoMain: a package main without func main is a type error from
// go/types? No: it type-checks; Compile reports it.
func TestNoMain(t *testing.T) {
	_, err := Compile("p.go", []byte("package main\nfunc f() {}\n"))
	if err == nil || err.Error() != "p.go:1:1: unsupported: no func main" {
		t.Errorf("got %v", err)
	}
}
