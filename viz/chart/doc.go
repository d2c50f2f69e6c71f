// Package chart draws the batch side's charts with gonum/plot: line charts
// of a metric against a parameter with 95% confidence-interval error bars
// ([Line]), heat maps over two-key grids ([Heat]), axis units chosen from
// the metrics' declared units ([UnitFor]: ms, req/s, MiB rather than raw
// nanoseconds),
// and the files of a sweep or a plan ([WriteSweep], [WritePlan]): PNG, SVG
// and an index.html that shows the charts with the results table.
//
// [Line] and [Heat] are plain data; they know nothing of models. Only
// sweep.go and plan.go read sim/experiment results.
package chart
