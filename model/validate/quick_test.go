package validate

import (
	"context"
	"os"
	"testing"
)

func TestQuickAll(t *testing.T) {
	if os.Getenv("VQ") == "" {
		t.Skip()
	}
	rows, err := Run(context.Background(), Select(All(), os.Getenv("VQ")), Options{Runs: 3, Progress: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	WriteTable(os.Stdout, rows)
}
