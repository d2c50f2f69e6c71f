package validate

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// WriteTable prints rows side by side: case, metric, the real band
// (min / median / max over K runs), the simulated mean with its 95% CI, the
// agreement rule and the verdict; rows checking data a constant was fitted
// to say so. The headline counts only rows judged on independent data.
// Details (what the real and simulated runs saw, why a row disagrees)
// follow the table.
func WriteTable(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tMETRIC\tREAL min / median / max\tSIM mean [95% CI]\tRULE\tAGREE")
	for _, r := range rows {
		realCol, simCol := "-", "-"
		if !math.IsNaN(r.RealMin) {
			realCol = fmt.Sprintf("%s / %s / %s", num(r.RealMin), num(r.RealMedian), num(r.RealMax))
		}
		if !math.IsNaN(r.Sim) {
			simCol = num(r.Sim)
			if r.SimCI95[0] != r.SimCI95[1] {
				simCol += fmt.Sprintf(" [%s, %s]", num(r.SimCI95[0]), num(r.SimCI95[1]))
			}
		}
		verdict := r.Status
		switch r.Status {
		case "agree":
			verdict = "yes"
		case "disagree":
			verdict = "NO"
		}
		if r.Fitted != "" {
			verdict += " (fitted)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.Metric, realCol, simCol, r.Rule, verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	agree, indep, fitted := Headline(rows)
	fmt.Fprintf(w, "\n%d of %d independent rows agree", agree, indep)
	if fitted > 0 {
		fa := 0
		for _, r := range rows {
			if r.Fitted != "" && r.Agree {
				fa++
			}
		}
		fmt.Fprintf(w, " (%d fitted rows not counted, %d of them agree)", fitted, fa)
	}
	fmt.Fprintln(w)
	last := ""
	for _, r := range rows {
		if r.Reason != "" {
			fmt.Fprintf(w, "  %s %s: %s\n", r.Name, r.Metric, r.Reason)
		}
	}
	for _, r := range rows {
		if r.Name == last || (r.RealDetail == "" && r.SimDetail == "" && r.Fitted == "") {
			continue
		}
		last = r.Name
		fmt.Fprintf(w, "  %s: real %s; sim %s", r.Name, orDash(r.RealDetail), orDash(r.SimDetail))
		if r.Fitted != "" {
			fmt.Fprintf(w, "; fitted: %s", r.Fitted)
		}
		fmt.Fprintln(w)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// WriteJSON prints one JSON object per row (JSON lines); NaN (a side that
// did not run) is written as null.
func WriteJSON(w io.Writer, rows []Row) error {
	for _, r := range rows {
		b, err := json.Marshal(jsonRow(r))
		if err != nil {
			return err
		}
		if _, err := w.Write(append(b, '\n')); err != nil {
			return err
		}
	}
	return nil
}

// jsonRow mirrors Row with nullable numbers and an `independent` flag (the
// row counts in the headline).
type jsonRowT struct {
	Name        string     `json:"name"`
	Metric      string     `json:"metric"`
	RealMin     *float64   `json:"real_min"`
	RealMedian  *float64   `json:"real_median"`
	RealMax     *float64   `json:"real_max"`
	Sim         *float64   `json:"sim"`
	SimCI95     []*float64 `json:"sim_ci95"`
	Agree       bool       `json:"agree"`
	Status      string     `json:"status"`
	Rule        string     `json:"rule"`
	Independent bool       `json:"independent"`
	Fitted      string     `json:"fitted,omitempty"`
	Margin      *float64   `json:"margin,omitempty"`
	DiffCI90    []*float64 `json:"diff_ci90,omitempty"`
	PassIfOff   *float64   `json:"p_pass_off_by_margin,omitempty"`
	PassIfRight *float64   `json:"p_pass_if_right,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	RealDetail  string     `json:"real_detail,omitempty"`
	SimDetail   string     `json:"sim_detail,omitempty"`
	RealRuns    int        `json:"real_runs"`
	SimReps     int        `json:"sim_reps"`
	WallNs      int64      `json:"wall_ns"`
}

func jsonRow(r Row) jsonRowT {
	p := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	j := jsonRowT{Name: r.Name, Metric: r.Metric, RealMin: p(r.RealMin), RealMedian: p(r.RealMedian), RealMax: p(r.RealMax),
		Sim: p(r.Sim), SimCI95: []*float64{p(r.SimCI95[0]), p(r.SimCI95[1])}, Agree: r.Agree, Status: r.Status,
		Rule: r.Rule, Independent: r.Fitted == "", Fitted: r.Fitted, Reason: r.Reason,
		RealDetail: r.RealDetail, SimDetail: r.SimDetail, RealRuns: r.RealRuns, SimReps: r.SimReps, WallNs: r.WallNs}
	if strings.HasPrefix(r.Rule, "±") {
		j.Margin, j.PassIfOff, j.PassIfRight = p(r.Margin), p(r.PassIfOff), p(r.PassIfRight)
		j.DiffCI90 = []*float64{p(r.DiffCI90[0]), p(r.DiffCI90[1])}
	}
	return j
}
