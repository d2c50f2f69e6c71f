// Package browsertest holds the browser tests of the interactive
// reference: the real page and wasm module served on 127.0.0.1, driven in
// headless Chromium with chromedp. The tests skip, saying why, when no
// Chromium binary is installed (apt-get install chromium). Screenshots of
// failures go to testdata/failures/; GOHTTPSIM_SHOTS=DIR also saves the
// layout screenshots there.
package browsertest
