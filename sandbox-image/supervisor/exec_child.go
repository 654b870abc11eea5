package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
)

const execChildMode = "exec-child"

// execChild sets RLIMIT_NPROC (which on Linux counts threads of the user) on itself and then
// becomes the program, so the limit binds the program and all it starts, but not the
// supervisor, whose own limit stays as it was.
func execChild(args []string) {
	limit, err := strconv.ParseUint(args[0], 10, 64)
	if err != nil || len(args) < 2 {
		fmt.Fprintln(os.Stderr, "supervisor: bad exec-child arguments")
		os.Exit(126)
	}
	lim := &syscall.Rlimit{Cur: limit, Max: limit}
	if err := syscall.Setrlimit(6 /* RLIMIT_NPROC */, lim); err != nil {
		fmt.Fprintf(os.Stderr, "supervisor: setting the process limit: %v\n", err)
		os.Exit(126)
	}
	err = syscall.Exec(args[1], args[1:], os.Environ())
	fmt.Fprintf(os.Stderr, "supervisor: starting the program: %v\n", err)
	os.Exit(126)
}
