// Package simbench measures the kernel on the classic hold model (every
// processed event schedules one more at now + Exp(mean)) against a textbook
// baseline (container/heap of pointers to closures), so that the two are
// always compared side by side in one run. It is not part of the kernel.
package simbench
