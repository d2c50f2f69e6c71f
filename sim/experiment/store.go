package experiment

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/gohttpsim/gohttpsim/sim/scenario"
	"github.com/gohttpsim/gohttpsim/sim/stats"
)

// File names in an output directory.
const (
	ManifestFile = "sweep.json"
	JournalFile  = "results.jsonl"
	CSVFile      = "results.csv"
	UnitsFile    = "units.csv" // metric,unit: results.csv's units
)

// Manifest records what a directory's results are: enough to resume a
// sweep, to check that shards belong together, and to chart them.
type Manifest struct {
	Version   int             `json:"version"`
	Scenario  string          `json:"scenario"`
	Params    json.RawMessage `json:"params"` // every parameter, -set applied
	Vary      []AxisJSON      `json:"vary"`
	Reps      int             `json:"reps"`
	Seed      uint64          `json:"seed"`
	Metrics   []string        `json:"metrics,omitempty"`
	Warmup    string          `json:"warmup"` // "mser5" or a duration
	EveryNs   int64           `json:"every_ns"`
	MaxEvents uint64          `json:"max_events,omitempty"`
	Points    int             `json:"points"`
	Shard     int             `json:"shard"`
	Shards    int             `json:"shards"`
}

// AxisJSON is an Axis in a manifest.
type AxisJSON struct {
	Key     string        `json:"key"`
	Kind    scenario.Kind `json:"kind"`
	Values  []string      `json:"values"`
	Numbers []float64     `json:"numbers,omitempty"`
}

// Grid returns the manifest's grid.
func (m *Manifest) Grid() Grid {
	var g Grid
	for _, a := range m.Vary {
		g.Axes = append(g.Axes, Axis(a))
	}
	return g
}

func (c *Config) manifest() Manifest {
	params, _ := json.Marshal(c.Base)
	m := Manifest{Version: 1, Scenario: c.Scenario.Name, Params: params, Reps: c.Reps, Seed: c.Seed,
		Metrics: c.Metrics, Warmup: "mser5", EveryNs: int64(c.Every), MaxEvents: c.MaxEvents,
		Points: c.Grid.Len(), Shard: c.Shard, Shards: max(1, c.Shards)}
	if c.Warmup > 0 {
		m.Warmup = c.Warmup.String()
	}
	for _, a := range c.Grid.Axes {
		m.Vary = append(m.Vary, AxisJSON(a))
	}
	return m
}

// diff names the first field in which m and o differ ("" if none); the
// shard fields count only if withShard.
func (m Manifest) diff(o Manifest, withShard bool) string {
	if !withShard {
		m.Shard, o.Shard = 0, 0
	}
	a, _ := json.Marshal(m)
	b, _ := json.Marshal(o)
	if bytes.Equal(a, b) {
		return ""
	}
	var ma, mb map[string]json.RawMessage
	_ = json.Unmarshal(a, &ma)
	_ = json.Unmarshal(b, &mb)
	for _, k := range []string{"version", "scenario", "params", "vary", "reps", "seed", "metrics", "warmup", "every_ns", "max_events", "points", "shard", "shards"} {
		if !bytes.Equal(ma[k], mb[k]) {
			return fmt.Sprintf("%s: %s vs %s", k, orNone(ma[k]), orNone(mb[k]))
		}
	}
	return "manifests differ"
}

func orNone(b []byte) string {
	if len(b) == 0 {
		return "none"
	}
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}

// ReadManifest reads dir's manifest (os.ErrNotExist if there is none).
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	if m.Version != 1 {
		return m, fmt.Errorf("%s: unsupported version %d", filepath.Join(dir, ManifestFile), m.Version)
	}
	return m, nil
}

// WriteManifest writes m to dir atomically.
func WriteManifest(dir string, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, ManifestFile), append(b, '\n'))
}

// writeAtomic writes a file through a synced temporary and a rename.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// encodePoint renders a point's replications as journal lines.
func encodePoint(b *bytes.Buffer, p *Point, g Grid) {
	for _, r := range p.Reps {
		fmt.Fprintf(b, `{"point":%d,"rep":%d,"seed":%d,"params":{`, r.Point, r.Rep, r.Seed)
		for k, v := range p.Values {
			if k > 0 {
				b.WriteByte(',')
			}
			key, _ := json.Marshal(g.Axes[k].Key)
			val, _ := json.Marshal(v)
			b.Write(key)
			b.WriteByte(':')
			b.Write(val)
		}
		fmt.Fprintf(b, `},"sim_time_ns":%d,"events":%d,"digest":%q,"truncated":%t,"metrics":{`, r.SimTimeNs, r.Events, r.Digest, r.Truncated)
		for i, m := range r.Metrics {
			if i > 0 {
				b.WriteByte(',')
			}
			key, _ := json.Marshal(m.Name)
			b.Write(key)
			b.WriteByte(':')
			b.WriteString(scenario.JSONNum(m.Value))
		}
		b.WriteString(`},"units":{`)
		for i, m := range r.Metrics {
			if i > 0 {
				b.WriteByte(',')
			}
			key, _ := json.Marshal(m.Name)
			unit, _ := json.Marshal(m.Unit)
			b.Write(key)
			b.WriteByte(':')
			b.Write(unit)
		}
		b.WriteString("}}\n")
	}
}

// appendPoint appends p to the journal in one write and syncs it, so a
// crash leaves either the whole point or a torn last line.
func appendPoint(f *os.File, p *Point, g Grid) error {
	var b bytes.Buffer
	encodePoint(&b, p, g)
	if _, err := f.Write(b.Bytes()); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return f.Sync()
}

// rewriteJournal replaces dir's journal with points (in order) and returns
// it open for appending.
func rewriteJournal(dir string, points []*Point, g Grid) (*os.File, error) {
	var b bytes.Buffer
	for _, p := range points {
		encodePoint(&b, p, g)
	}
	path := filepath.Join(dir, JournalFile)
	if err := writeAtomic(path, b.Bytes()); err != nil {
		return nil, err
	}
	return os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o644)
}

type recordJSON struct {
	Point     int             `json:"point"`
	Rep       int             `json:"rep"`
	Seed      uint64          `json:"seed"`
	SimTimeNs int64           `json:"sim_time_ns"`
	Events    uint64          `json:"events"`
	Digest    string          `json:"digest"`
	Truncated bool            `json:"truncated"`
	Metrics   json.RawMessage `json:"metrics"`
	// Units are the metrics' units by name (absent in journals written
	// before units were recorded: the metrics then have none).
	Units map[string]string `json:"units"`
}

// parseRecord decodes one journal line, keeping the metric order.
func parseRecord(line []byte) (Record, error) {
	var j recordJSON
	if err := json.Unmarshal(line, &j); err != nil {
		return Record{}, err
	}
	r := Record{Point: j.Point, Rep: j.Rep, Seed: j.Seed, SimTimeNs: j.SimTimeNs, Events: j.Events, Digest: j.Digest, Truncated: j.Truncated}
	dec := json.NewDecoder(bytes.NewReader(j.Metrics))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return r, fmt.Errorf("metrics: want an object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return r, err
		}
		name, _ := t.(string)
		var v *float64
		if err := dec.Decode(&v); err != nil {
			return r, fmt.Errorf("metric %s: %w", name, err)
		}
		x := math.NaN()
		if v != nil {
			x = *v
		}
		r.Metrics = append(r.Metrics, scenario.Metric{Name: name, Value: x, Unit: j.Units[name]})
	}
	return r, nil
}

// loadJournal reads dir's journal into complete points (those with all reps
// replications). A torn last line, left by a crash mid-write, is dropped; a
// bad line elsewhere is an error.
func loadJournal(dir string, g Grid, reps int) (map[int]*Point, error) {
	path := filepath.Join(dir, JournalFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[int]*Point{}, nil
	}
	if err != nil {
		return nil, err
	}
	// A last line without its newline was torn by a crash mid-write.
	if i := bytes.LastIndexByte(data, '\n'); i < len(data)-1 {
		data = data[:i+1]
	}
	byPoint := map[int][]Record{}
	for n, line := range bytes.SplitAfter(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		r, err := parseRecord(line)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, n+1, err)
		}
		if r.Point < 0 || r.Point >= g.Len() || r.Rep < 0 || r.Rep >= reps {
			return nil, fmt.Errorf("%s line %d: point %d replication %d is outside this sweep", path, n+1, r.Point, r.Rep)
		}
		byPoint[r.Point] = append(byPoint[r.Point], r)
	}
	out := map[int]*Point{}
	for i, rs := range byPoint {
		slices.SortStableFunc(rs, func(a, b Record) int { return a.Rep - b.Rep })
		rs = slices.CompactFunc(rs, func(a, b Record) bool { return a.Rep == b.Rep })
		if len(rs) != reps {
			continue // incomplete: rerun
		}
		out[i] = &Point{Index: i, Values: g.Values(i), Reps: rs, Summaries: summarize(rs)}
	}
	return out, nil
}

// Finalize rewrites dir's journal in point order and writes results.csv.
func Finalize(dir string, res *Result) error {
	g := res.Manifest.Grid()
	var b bytes.Buffer
	for _, p := range res.Points {
		if p.Values == nil {
			p.Values = g.Values(p.Index)
		}
		encodePoint(&b, p, g)
	}
	if err := writeAtomic(filepath.Join(dir, JournalFile), b.Bytes()); err != nil {
		return err
	}
	b.Reset()
	if err := WriteCSV(&b, g, res.Points); err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(dir, CSVFile), b.Bytes()); err != nil {
		return err
	}
	b.Reset()
	if err := WriteUnitsCSV(&b, res.Points); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, UnitsFile), b.Bytes())
}

// WriteUnitsCSV writes units.csv: a metric,unit header, then each metric
// of results.csv in its column order with its unit (sim/scenario's
// convention: "ns", "B", "req/s", "1" for a fraction, "{req}" for a count).
// results.csv itself keeps one header row and one row per point.
func WriteUnitsCSV(w io.Writer, points []*Point) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"metric", "unit"}); err != nil {
		return err
	}
	for _, n := range MetricNames(points) {
		if err := cw.Write([]string{n, MetricUnit(points, n)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// MetricUnit returns the unit of the named metric in points ("" if no
// point has it with one).
func MetricUnit(points []*Point, name string) string {
	for _, p := range points {
		for _, s := range p.Summaries {
			if s.Name == name && s.Unit != "" {
				return s.Unit
			}
		}
	}
	return ""
}

// MetricNames returns the metric names of points in first-seen order.
func MetricNames(points []*Point) []string {
	var names []string
	for _, p := range points {
		for _, s := range p.Summaries {
			if !slices.Contains(names, s.Name) {
				names = append(names, s.Name)
			}
		}
	}
	return names
}

// WriteCSV writes one row per point: the varied values, then per metric
// its mean, ci95_low and ci95_high (Student-t, over the replications).
func WriteCSV(w io.Writer, g Grid, points []*Point) error {
	cw := csv.NewWriter(w)
	names := MetricNames(points)
	var head []string
	for _, a := range g.Axes {
		head = append(head, a.Key)
	}
	for _, n := range names {
		head = append(head, n+"_mean", n+"_ci95_low", n+"_ci95_high")
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, p := range points {
		row := slices.Clone(g.Values(p.Index))
		for _, n := range names {
			s, ok := p.Summary(n)
			if !ok {
				row = append(row, "", "", "")
				continue
			}
			row = append(row, csvNum(s.Mean), csvNum(s.Lo), csvNum(s.Hi))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Summary returns the summary of the named metric at p.
func (p *Point) Summary(name string) (stats.Summary, bool) {
	for _, s := range p.Summaries {
		if s.Name == name {
			return s.Summary, true
		}
	}
	return stats.Summary{}, false
}

// Merge joins the results of shard directories into out, writing the files
// a single run would have written. All inputs must share one manifest but
// for the shard; a point found twice must have equal digests.
func Merge(dirs []string, out string) (*Result, error) {
	if len(dirs) == 0 {
		return nil, fmt.Errorf("merge: no input directories")
	}
	var base Manifest
	all := map[int]*Point{}
	for k, dir := range dirs {
		m, err := ReadManifest(dir)
		if errors.Is(err, os.ErrNotExist) {
			return nil, scenario.Usage(fmt.Errorf("merge: %s holds no sweep (no %s)", dir, ManifestFile))
		}
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		if k == 0 {
			base = m
		} else if d := base.diff(m, false); d != "" {
			return nil, scenario.Usage(fmt.Errorf("merge: %s and %s are different sweeps (%s)", dirs[0], dir, d))
		}
		pts, err := loadJournal(dir, m.Grid(), m.Reps)
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		for i, p := range pts {
			if q, dup := all[i]; dup {
				for r := range p.Reps {
					if p.Reps[r].Digest != q.Reps[r].Digest {
						return nil, fmt.Errorf("merge: point %d differs between inputs (digest %s vs %s)", i, q.Reps[r].Digest, p.Reps[r].Digest)
					}
				}
				continue
			}
			all[i] = p
		}
	}
	base.Shard, base.Shards = 0, 1
	res := &Result{Manifest: base, Points: sortedPoints(all)}
	if miss := base.Points - len(all); miss > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d of %d points are missing (a shard not given, or not finished)", miss, base.Points))
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("merge: output directory: %w", err)
	}
	for _, d := range dirs {
		if sameDir(d, out) {
			return nil, fmt.Errorf("merge: -out %s is also an input", out)
		}
	}
	if _, err := ReadManifest(out); err == nil {
		return nil, fmt.Errorf("merge: %w: %s (choose an empty -out)", ErrExists, out)
	}
	if err := WriteManifest(out, base); err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	return res, Finalize(out, res)
}

func sameDir(a, b string) bool {
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && filepath.Clean(x) == filepath.Clean(y)
}

// String is a short description, e.g. "servers=4 load.rate=3200".
func (p *Point) String() string { return strings.Join(p.Values, " ") }
