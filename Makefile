# gohttpsim — the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
GOROOT  := $(shell $(GO) env GOROOT)
BIN     := bin
ADDR    ?= 127.0.0.1:8080
WASMEXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec

.PHONY: run test vet unit wasm-check determinism browser-test browser-bench bench scale build wasm exportdata clean

## run: build and serve the interactive reference on 127.0.0.1 and print its URL.
run: wasm build
	@echo "serving the interactive reference; open the URL below (Ctrl-C to stop)"
	$(BIN)/gohttpsim serve -addr $(ADDR) -wasm $(BIN)/gohttpsim.wasm.gz

## build: the CLI.
build:
	@mkdir -p $(BIN)
	$(GO) build -o $(BIN)/gohttpsim ./cmd/gohttpsim

## test: everything — vet, unit and differential tests, the js/wasm build and
## the native-versus-wasm determinism check, browser tests.
test: vet unit wasm-check determinism browser-test

vet:
	$(GO) vet ./...

## unit: every package's tests, differential ones included; the browser
## tests run once, in browser-test.
unit:
	$(GO) test -count=1 -p 1 -timeout 12m $$($(GO) list ./... | grep -v /wasm/browsertest)

## wasm-check: every package that must run in the browser builds for js/wasm.
wasm-check: exportdata
	GOOS=js GOARCH=wasm $(GO) build -o /dev/null ./cmd/gohttpsim
	GOOS=js GOARCH=wasm $(GO) build -tags goprog_exportdata -o /dev/null ./wasm/playground

## determinism: the same scenario and seed give the same digest natively,
## under GOMAXPROCS=1 and 2, and under js/wasm in Node (the CLI compiled to
## wasm, run by Go's own go_js_wasm_exec); and `sched` runs corpus programs
## to the same result natively and in js/wasm with the export data the
## playground module embeds.
DET_RUNS := "-set duration=3s -set warmup=1s mmc" \
	"-set duration=200ms throughput" \
	"-set duration=1s goroutines" \
	"pool" \
	"h1-vs-h2" \
	"-set duration=3s timeouts" \
	"-set duration=100ms routing" \
	"-set duration=500ms quota"
SCHED_DET := "-GOMAXPROCS 2 model/goprog/testdata/worker_pool.go" \
	"-GOMAXPROCS 1 model/goprog/testdata/ticker_stop.go"
determinism: build exportdata
	@mkdir -p $(BIN)
	GOOS=js GOARCH=wasm $(GO) build -tags goprog_exportdata -o $(BIN)/gohttpsim-cli.wasm ./cmd/gohttpsim
	@set -e; for r in $(SCHED_DET); do \
	  a=$$($(BIN)/gohttpsim sched -json -seed 7 $$r); \
	  c=$$($(WASMEXEC) $(BIN)/gohttpsim-cli.wasm sched -json -seed 7 $$r); \
	  echo "determinism sched $$r: $$(echo "$$a" | grep '"digest"')"; \
	  test "$$a" = "$$c" || { echo "determinism: sched results differ for $$r"; echo "native: $$a"; echo "js/wasm (embedded export data): $$c"; exit 1; }; \
	done
	@set -e; strip() { sed 's/"wall_ns":[0-9]*,//'; }; \
	for r in $(DET_RUNS); do \
	  a=$$(GOMAXPROCS=1 $(BIN)/gohttpsim run -json -seed 7 $$r | strip); \
	  b=$$(GOMAXPROCS=2 $(BIN)/gohttpsim run -json -seed 7 $$r | strip); \
	  c=$$($(WASMEXEC) $(BIN)/gohttpsim-cli.wasm run -json -seed 7 $$r | strip); \
	  d=$$(echo "$$a" | sed 's/.*"digest":"\([0-9a-f]*\)".*/\1/'); \
	  echo "determinism $$r: digest $$d"; \
	  test -n "$$d" && test "$$a" = "$$b" && test "$$a" = "$$c" || { \
	    echo "determinism: results differ for $$r"; echo "GOMAXPROCS=1: $$a"; echo "GOMAXPROCS=2: $$b"; echo "js/wasm:      $$c"; exit 1; }; \
	done

## browser-test: real headless Chromium tests of the page (see .ci/run);
## screenshots of failures go to wasm/browsertest/testdata/failures/.
browser-test: wasm
	GOHTTPSIM_WASM=$(CURDIR)/$(BIN)/gohttpsim.wasm.gz $(GO) test -count=1 -timeout 10m -v ./wasm/browsertest

## browser-bench: first frame after navigation and the frame-rate ratio of
## section 1 with 10,000 goroutines against an empty scene, in headless
## Chromium.
browser-bench: wasm
	GOHTTPSIM_WASM=$(CURDIR)/$(BIN)/gohttpsim.wasm.gz $(GO) test -count=1 -timeout 10m -run '^TestWasmSize$$' -bench . -benchtime 3x -v ./wasm/browsertest

## bench: kernel and model benchmarks (figures go in the closing notes).
bench: build
	$(BIN)/gohttpsim bench -pending 1000
	$(BIN)/gohttpsim bench -pending 100000
	$(BIN)/gohttpsim bench -pending 1000000
	$(GO) test -run '^$$' -bench . -benchtime 1x ./sim/...
	$(GO) test -run '^$$' -bench 'Parked' -benchtime 1x ./model/scenarios ./model/goprog

## scale: issue 17's budgets, measured (minutes and GBs, so not in test):
## ten million connections (≤ 4 GB, ≤ 90 s), ten million goroutines
## (≤ 3 GB, ≤ 45 s), and a sweep with -parallel 2 against -parallel 1
## (ratio ≤ 0.55).
SWEEP := -vary GOMAXPROCS=1:8:*2 -vary load.rate=50000,150000 -set duration=5s -reps 3 throughput
scale: build
	/usr/bin/time -f 'million, 10M connections: wall %e s, peak RSS %M KiB, CPU %U s user + %S s sys' \
	  $(BIN)/gohttpsim run -set load.clients=10000000 -set load.ramp=40s -set duration=45s -set ulimit.n=10000010 million
	/usr/bin/time -f 'sched, 10M goroutines: wall %e s, peak RSS %M KiB, CPU %U s user + %S s sys' \
	  $(BIN)/gohttpsim sched -GOMAXPROCS 8 model/goprog/testdata/scale/tenmillion.go
	@set -e; d=$$(mktemp -d); \
	t0=$$(date +%s.%N); $(BIN)/gohttpsim sweep -parallel 1 -out $$d/p1 $(SWEEP) >/dev/null 2>&1; \
	t1=$$(date +%s.%N); $(BIN)/gohttpsim sweep -parallel 2 -out $$d/p2 $(SWEEP) >/dev/null 2>&1; \
	t2=$$(date +%s.%N); rm -rf $$d; \
	awk -v a=$$t0 -v b=$$t1 -v c=$$t2 'BEGIN { printf "sweep: -parallel 1 %.1f s, -parallel 2 %.1f s, ratio %.2f\n", b-a, c-b, (c-b)/(b-a) }'

## wasm: the browser modules, stripped and gzip-compressed (served as is):
## the page's (gohttpsim.wasm) and the scheduler playground's
## (playground.wasm, loaded only when the playground is opened; it embeds
## the standard packages' export data, generated from GOROOT).
wasm: exportdata
	@mkdir -p $(BIN)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $(BIN)/gohttpsim.wasm ./wasm
	gzip -9 -k -f $(BIN)/gohttpsim.wasm
	GOOS=js GOARCH=wasm $(GO) build -tags goprog_exportdata -trimpath -ldflags='-s -w' -o $(BIN)/playground.wasm ./wasm/playground
	gzip -9 -k -f $(BIN)/playground.wasm
	@ls -l $(BIN)/gohttpsim.wasm $(BIN)/gohttpsim.wasm.gz $(BIN)/playground.wasm $(BIN)/playground.wasm.gz

## exportdata: the type information of the standard packages goprog
## supports, as gcexportdata files (model/goprog/exportdata/data, not
## committed: derived from this GOROOT), for the wasm builds that have no
## GOROOT.
exportdata:
	$(GO) generate ./model/goprog/exportdata

clean:
	rm -rf $(BIN)
