package main

import (
	"syscall"
	"time"
)

// endOtherProcesses kills every process in the container but this one and reaps them, so that
// nothing the program started is left to write into the result channel while the result line
// goes out (under gVisor the program can open this process's stdout as /proc/1/fd/1). As PID 1
// of the container's PID namespace, kill(-1) reaches every other process in it, and every
// orphan is re-parented to this process, so "no child left to reap" means none is left at all.
// Bounded, so that a process that cannot be reaped cannot hold the result back for ever.
func endOtherProcesses() {
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if err := syscall.Kill(-1, syscall.SIGKILL); err == syscall.ESRCH {
			return // nobody else left
		}
		for {
			var ws syscall.WaitStatus
			if _, err := syscall.Wait4(-1, &ws, 0, nil); err != nil {
				break // ECHILD: every child is reaped; kill(-1) again catches a late fork
			}
		}
	}
}
