// Package calibrate measures this machine's costs with real Go benchmarks and
// reads and writes the calibration file that `gohttpsim run`, `sweep`,
// `plan` and `validate` accept with -calib FILE, so that predictions are
// made for the user's hardware rather than for the machine the defaults
// were measured on.
//
// # File format
//
// A calibration file is one JSON object (see [Calibration]): a format
// version, where and when it was measured (Go version, GOOS/GOARCH, CPUs),
// and the measured figures, durations written as Go duration strings
// ("9.6µs" or "9.6us") and sizes as numbers of bytes:
//
//	{
//	  "version": 1,
//	  "go": "go1.26.8", "goos": "linux", "goarch": "amd64", "cpus": 2,
//	  "measured_at": "2026-11-28T11:02:03Z",
//	  "hello_cpu": "9.6µs", "json_cpu": "11.2µs",
//	  "hello_handler_cpu": "60ns", "json_handler_cpu": "900ns", "json_handler_alloc_bytes": 400,
//	  "hello_alloc_bytes": 1234, "hello_allocs": 11,
//	  "json_alloc_bytes": 1800, "json_allocs": 17,
//	  "goroutine_switch": "130ns", "goroutine_create": "450ns", "gosched": "80ns"
//	}
//
// Unknown fields are rejected (a typo must not silently fall back to a
// default). [Calibration.Apply] sets the scenario parameters that a
// scenario declares and a figure maps to (see [Keys]); parameters a
// scenario does not have are left alone.
package calibrate
