// Package gtrace lays out a goprog.GTrace for the page's scheduler
// playground: the program's Gs as chips in the places the scheduler model
// put them (running on a P, its runnext, its local run queue, the global
// run queue, the timers, the netpoller, parked on a channel or a sync
// object), step by step, each step being the moves of one instant of
// simulated time. Between two steps a chip travels from its old place to
// its new one (smoothstep easing), so what moves is only what the model
// moved. It is pure layout (no drawing library): wasm/playground paints
// the boxes on a 2D canvas.
package gtrace
