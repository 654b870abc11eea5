package main

import (
	"os"
	"os/signal"
)

// shieldFromProgramSignals keeps the supervisor alive whatever the program signals it: the
// program runs under the supervisor's uid, so it may signal PID 1, and kill(1, SIGTERM) used to
// end the run as a 503 (SIGHUP, SIGINT, SIGQUIT, SIGSEGV, … as a 500). Every catchable signal is
// caught and dropped from now until this process exits after the result line. Caught, not
// ignored: a caught signal is reset to its default at exec, so the program keeps default
// handling and the timeout's SIGINT still interrupts it. Called just before the program starts,
// so an idle warm container still stops at Docker's SIGTERM. SIGKILL and SIGSTOP cannot be
// caught: under gVisor a SIGKILL to PID 1 takes the sandbox down (the contract's 500, like a
// memory bomb), a SIGSTOP runs into the host's backstop ("timeout running program").
func shieldFromProgramSignals() {
	c := make(chan os.Signal, 64)
	signal.Notify(c)
	go func() {
		for range c {
		}
	}()
}
