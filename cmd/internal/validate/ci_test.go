package validate

import (
	"context"
	"strings"
	"testing"
)

// TestLoadIndependentRowsAgree is the CI check of the headline: every
// validate row that does not depend on the machine's load (the sched,
// goprog, h2c and mux families, minus the cases marked LoadDependent) must
// agree, real side included, with the case's fixed number of real runs.
func TestLoadIndependentRowsAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the goprog programs (~15 s)")
	}
	var cases []*Case
	for _, c := range All() {
		fam, _, _ := strings.Cut(c.Name, "/")
		switch fam {
		case "sched", "goprog", "h2c", "mux":
			if !c.LoadDependent {
				cases = append(cases, c)
			}
		}
	}
	if len(cases) < 14 {
		t.Fatalf("only %d load-independent cases", len(cases))
	}
	rows, err := Run(context.Background(), cases, Options{Runs: 3, Reps: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !r.Agree {
			t.Errorf("%s %s: %s (rule %s; real %v / %v / %v, sim %v) %s", r.Name, r.Metric, r.Status, r.Rule,
				r.RealMin, r.RealMedian, r.RealMax, r.Sim, r.Reason)
		}
	}
	agree, indep, fitted := Headline(rows)
	t.Logf("%d of %d independent rows agree; %d fitted rows", agree, indep, fitted)
}
