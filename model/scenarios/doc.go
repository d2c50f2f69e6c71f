// Package scenarios defines the built-in scenarios, one file each, and
// registers them with package scenario. Import it for its side effect.
package scenarios
