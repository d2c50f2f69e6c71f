# gohttpsim — the two commands a newcomer needs are `make run` and `make test`.
GO      ?= go
GOROOT  := $(shell $(GO) env GOROOT)
BIN     := bin
ADDR    ?= 127.0.0.1:8080
WASMEXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec

.PHONY: run test vet unit wasm-check determinism browser-test bench build wasm clean

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

unit:
	$(GO) test -count=1 -timeout 12m ./...

## wasm-check: every package that must run in the browser builds for js/wasm.
wasm-check:
	GOOS=js GOARCH=wasm $(GO) build -o /dev/null ./cmd/gohttpsim

## determinism: the same scenario and seed give the same digest natively,
## under GOMAXPROCS=1 and 2, and under js/wasm in Node.
determinism: build
	@set -e; for sc in mmc; do \
	  a=$$(GOMAXPROCS=1 $(BIN)/gohttpsim run -json -set duration=5s $$sc | sed 's/.*"digest":"\([0-9a-f]*\)".*/\1/'); \
	  b=$$(GOMAXPROCS=2 $(BIN)/gohttpsim run -json -set duration=5s $$sc | sed 's/.*"digest":"\([0-9a-f]*\)".*/\1/'); \
	  c=$$(GOOS=js GOARCH=wasm $(GO) run -exec $(WASMEXEC) ./cmd/gohttpsim run -json -set duration=5s $$sc | sed 's/.*"digest":"\([0-9a-f]*\)".*/\1/'); \
	  echo "determinism $$sc: native/1 $$a native/2 $$b js/wasm $$c"; \
	  test -n "$$a" && test "$$a" = "$$b" && test "$$a" = "$$c"; \
	done

## browser-test: real headless Chromium tests of the page (see .ci/run);
## screenshots of failures go to wasm/browsertest/testdata/failures/.
browser-test: wasm
	GOHTTPSIM_WASM=$(CURDIR)/$(BIN)/gohttpsim.wasm.gz $(GO) test -count=1 -timeout 10m -v ./wasm/browsertest

## bench: kernel and model benchmarks (figures go in the closing notes).
bench: build
	$(BIN)/gohttpsim bench -pending 1000
	$(BIN)/gohttpsim bench -pending 100000
	$(BIN)/gohttpsim bench -pending 1000000
	$(GO) test -run '^$$' -bench . -benchtime 1x ./sim/...

## wasm: the browser module, stripped and gzip-compressed (served as is).
wasm:
	@mkdir -p $(BIN)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $(BIN)/gohttpsim.wasm ./wasm
	gzip -9 -k -f $(BIN)/gohttpsim.wasm
	@ls -l $(BIN)/gohttpsim.wasm $(BIN)/gohttpsim.wasm.gz

clean:
	rm -rf $(BIN)
