package validate

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
)

// WriteTable prints rows side by side: case, metric, the real band
// (min / median / max over K runs), the simulated mean with its 95% CI, and
// the verdict. Details (what the real and simulated runs saw) follow the
// table, one line per row that has any.
func WriteTable(w io.Writer, rows []Row) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CASE\tMETRIC\tREAL min / median / max\tSIM mean [95% CI]\tAGREE")
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
		verdict := "yes"
		switch {
		case r.Agree && r.Slack > 0:
			verdict = fmt.Sprintf("yes (±%g%%)", r.Slack*100)
		case r.Agree:
		case r.Status == "disagree":
			verdict = "NO"
		default:
			verdict = r.Status
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Name, r.Metric, realCol, simCol, verdict)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	agree, total := 0, len(rows)
	for _, r := range rows {
		if r.Agree {
			agree++
		}
	}
	fmt.Fprintf(w, "\n%d of %d rows agree\n", agree, total)
	last := ""
	for _, r := range rows {
		if r.Name == last || (r.RealDetail == "" && r.SimDetail == "") {
			continue
		}
		last = r.Name
		fmt.Fprintf(w, "  %s: real %s; sim %s\n", r.Name, orDash(r.RealDetail), orDash(r.SimDetail))
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

// jsonRow mirrors Row with nullable numbers.
type jsonRowT struct {
	Name       string     `json:"name"`
	Metric     string     `json:"metric"`
	RealMin    *float64   `json:"real_min"`
	RealMedian *float64   `json:"real_median"`
	RealMax    *float64   `json:"real_max"`
	Sim        *float64   `json:"sim"`
	SimCI95    []*float64 `json:"sim_ci95"`
	Agree      bool       `json:"agree"`
	Status     string     `json:"status"`
	Slack      float64    `json:"slack,omitempty"`
	RealDetail string     `json:"real_detail,omitempty"`
	SimDetail  string     `json:"sim_detail,omitempty"`
	RealRuns   int        `json:"real_runs"`
	SimReps    int        `json:"sim_reps"`
	WallNs     int64      `json:"wall_ns"`
}

func jsonRow(r Row) jsonRowT {
	p := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	return jsonRowT{Name: r.Name, Metric: r.Metric, RealMin: p(r.RealMin), RealMedian: p(r.RealMedian), RealMax: p(r.RealMax),
		Sim: p(r.Sim), SimCI95: []*float64{p(r.SimCI95[0]), p(r.SimCI95[1])}, Agree: r.Agree, Status: r.Status,
		Slack: r.Slack, RealDetail: r.RealDetail, SimDetail: r.SimDetail, RealRuns: r.RealRuns, SimReps: r.SimReps, WallNs: r.WallNs}
}
