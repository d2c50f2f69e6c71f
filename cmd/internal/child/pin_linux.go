//go:build linux

package child

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"unsafe"
)

const canPin = true

// pin binds every thread of this process to cpu (sched_setaffinity on each
// task of /proc/self/task; threads made later inherit it from their
// creator). cpu < 0 does nothing.
func pin(cpu int) error {
	if cpu < 0 {
		return nil
	}
	var mask [16]uint64
	mask[cpu/64] |= 1 << (cpu % 64)
	tasks, err := filepath.Glob("/proc/self/task/*")
	if err != nil {
		return err
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(filepath.Base(t))
		if err != nil {
			continue
		}
		if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY, uintptr(tid), unsafe.Sizeof(mask), uintptr(unsafe.Pointer(&mask))); e != 0 {
			if e == syscall.ESRCH {
				continue // the thread exited meanwhile
			}
			return os.NewSyscallError("sched_setaffinity", e)
		}
	}
	return nil
}
