package chart

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/gohttpsim/gohttpsim/sim/experiment"
)

// CostPlanCharts builds the charts of a plan over several keys: the
// frontier (per combination of the other keys, the smallest value of the
// bisected key meeting every SLO) and the cost along it, the cheapest
// marked. With one other numeric key the x axis is its values; otherwise
// each combination is a category.
func CostPlanCharts(res *experiment.CostPlanResult) (stems []string, charts []Plotter) {
	numeric := len(res.Others) == 1 && res.Others[0].Numbers != nil
	var xs []float64
	var names []string
	xlabel := "configuration"
	if numeric {
		xs = res.Others[0].Numbers
		xlabel = res.Others[0].Key
	}
	for i, c := range res.Columns {
		if !numeric {
			xs = append(xs, float64(i))
			names = append(names, c.Label())
		}
	}
	xu := Unit{1, ""}
	if numeric {
		xu = KeyUnit(res.Others[0].Kind, xs)
		xlabel = xu.Label(xlabel)
	}
	front := Series{Name: "smallest " + res.Key + " meeting every SLO"}
	costs := Series{Name: "cost " + res.Cost.Text()}
	bestX := 0.0
	for i, c := range res.Columns {
		if c.Result == nil || !c.Result.Found || c.Result.Largest {
			continue
		}
		x := xs[i] * xu.Scale
		front.X = append(front.X, x)
		front.Y = append(front.Y, c.Result.Answer.X)
		costs.X = append(costs.X, x)
		costs.Y = append(costs.Y, c.Cost)
		if c == res.Best {
			bestX = x
		}
	}
	mk := func(title, ylabel string, s Series) *Line {
		l := &Line{Title: title, XLabel: xlabel, YLabel: ylabel, Series: []Series{s}}
		if !numeric {
			l.XNames = names
		}
		if res.Best != nil {
			l.Rules = []Rule{{Vertical: true, At: bestX, Label: fmt.Sprintf("cheapest: %s=%s %s", res.Key, res.Answer().Value, res.Best.Label())}}
		}
		return l
	}
	stems = append(stems, "plan_frontier", "plan_cost")
	charts = append(charts,
		mk(fmt.Sprintf("frontier: smallest %s meeting the SLOs", res.Key), res.Key, front),
		mk("cost along the frontier: "+res.Cost.Text(), "cost", costs))
	return stems, charts
}

// WriteCostPlan writes the frontier charts (PNG and SVG) into dir and
// returns the file stems.
func WriteCostPlan(dir string, res *experiment.CostPlanResult) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	stems, charts := CostPlanCharts(res)
	for i, c := range charts {
		if err := Save(c, filepath.Join(dir, stems[i])); err != nil {
			return nil, err
		}
	}
	return stems, nil
}
