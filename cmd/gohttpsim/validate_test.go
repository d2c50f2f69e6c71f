package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gohttpsim/gohttpsim/cmd/internal/calibrate"
)

func TestValidateCLI(t *testing.T) {
	code, out, errOut := cli("validate", "-only", "sched")
	if code != 0 || !strings.Contains(out, "sched/spawn5") || !strings.Contains(out, "REAL min / median / max") {
		t.Fatalf("validate -only sched: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "validate: sched/spawn5") {
		t.Errorf("progress goes to stderr: %q", errOut)
	}

	code, out, _ = cli("validate", "-json", "-only", "sched/spawn5", "-runs", "2")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 {
		t.Fatalf("-json: exit %d, %d lines\n%s", code, len(lines), out)
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		for _, k := range []string{"name", "metric", "real_min", "real_median", "real_max", "sim", "sim_ci95", "agree"} {
			if _, ok := m[k]; !ok {
				t.Errorf("missing %s: %s", k, l)
			}
		}
	}

	// The exit code follows the verdicts: 0 only if every row agrees.
	code, out, _ = cli("validate", "-json", "-only", "mux")
	allAgree := !strings.Contains(out, `"agree":false`)
	if (code == 0) != allAgree || (code != 0 && code != 1) {
		t.Errorf("exit %d with rows:\n%s", code, out)
	}

	if code, out, _ := cli("validate", "-list"); code != 0 || !strings.Contains(out, "slowloris/ReadHeaderTimeout") {
		t.Errorf("-list: %d %s", code, out)
	}
}

func TestValidateCLIUsage(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"version": 1, "nope": 2}`), 0o644)
	for _, args := range [][]string{
		{"validate", "-only", "nope"},
		{"validate", "-runs", "0"},
		{"validate", "-reps", "-1"},
		{"validate", "extra"},
		{"validate", "-calib", bad},
		{"validate", "-calib", filepath.Join(t.TempDir(), "missing.json")},
		{"calibrate", "-requests", "5"},
		{"calibrate", "extra"},
	} {
		code, out, errOut := cli(args...)
		if code != 2 || out != "" || !strings.Contains(errOut, "usage: gohttpsim") {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

func TestRunCalib(t *testing.T) {
	c := &calibrate.Calibration{Version: calibrate.Version, HelloCPU: calibrate.Duration(12 * time.Microsecond), JSONCPU: calibrate.Duration(13 * time.Microsecond),
		HelloHandlerCPU: calibrate.Duration(50 * time.Nanosecond), JSONHandlerCPU: calibrate.Duration(600 * time.Nanosecond),
		GoSwitch: calibrate.Duration(150 * time.Nanosecond), GoCreate: calibrate.Duration(300 * time.Nanosecond), Gosched: calibrate.Duration(80 * time.Nanosecond)}
	path := filepath.Join(t.TempDir(), "cal.json")
	var buf bytes.Buffer
	c.Write(&buf)
	os.WriteFile(path, buf.Bytes(), 0o644)
	code, out, errOut := cli("run", "-json", "-calib", path, "pool")
	if code != 0 || !strings.Contains(out, `"server.request.cpu":"exp(12µs)"`) {
		t.Fatalf("run -calib: exit %d\n%s\n%s", code, out, errOut)
	}
	// An explicit -set wins over the file.
	code, out, _ = cli("run", "-json", "-calib", path, "-set", "server.request.cpu=5us", "pool")
	if code != 0 || !strings.Contains(out, `"server.request.cpu":"5us"`) {
		t.Fatalf("-set must win: exit %d\n%s", code, out)
	}
}
