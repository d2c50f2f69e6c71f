//go:build !linux

package child

import "errors"

const canPin = false

func pin(cpu int) error {
	if cpu < 0 {
		return nil
	}
	return errors.New("CPU affinity is only implemented on Linux")
}
