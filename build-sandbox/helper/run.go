package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
)

// Resource limits by the names the host passes, applied to this process before the tool
// starts, so that the tool and everything it runs (compile, asm, link, vet) inherit them.
var rlimits = map[string]int{
	"as":     syscall.RLIMIT_AS,    // per-process address space: a backstop where no cgroup caps memory
	"fsize":  syscall.RLIMIT_FSIZE, // largest file a tool may write (the binary, cache entries)
	"nofile": syscall.RLIMIT_NOFILE,
	"nproc":  6, // RLIMIT_NPROC
	"core":   syscall.RLIMIT_CORE,
}

// run is the sandbox's first command: it applies the limits, opens the forwarder to the
// module proxy relay when asked, then runs the go tool with the environment bubblewrap gave
// it and exits with the tool's status (a death by signal N as 128+N).
func run(args []string) int {
	opts, command := splitCommand(args)
	var forward string
	for i := 0; i < len(opts); i++ {
		if i+1 >= len(opts) {
			usage()
		}
		flag, value := opts[i], opts[i+1]
		i++
		switch flag {
		case "-limit":
			if err := setLimit(value); err != nil {
				fmt.Fprintf(os.Stderr, "build-helper: %v\n", err)
				return 125
			}
		case "-forward":
			forward = value
		default:
			usage()
		}
	}
	if forward != "" {
		addr, socket, ok := strings.Cut(forward, "=")
		if !ok {
			usage()
		}
		if err := startForwarder(addr, socket); err != nil {
			fmt.Fprintf(os.Stderr, "build-helper: module proxy forwarder: %v\n", err)
			return 125
		}
	}
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "build-helper: %v\n", err)
		return 127
	}
	// A stop from the host (the build's time limit) reaches the tool too.
	stops := make(chan os.Signal, 1)
	signal.Notify(stops, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		for s := range stops {
			cmd.Process.Signal(s)
		}
	}()
	return exitStatus(cmd.Wait())
}

func setLimit(spec string) error {
	name, value, ok := strings.Cut(spec, "=")
	resource, known := rlimits[name]
	n, err := strconv.ParseUint(value, 10, 64)
	if !ok || !known || err != nil {
		return fmt.Errorf("bad limit %q", spec)
	}
	if err := syscall.Setrlimit(resource, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
		return fmt.Errorf("setting %s: %v", name, err)
	}
	return nil
}

func exitStatus(err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return ee.ExitCode()
	}
	return 127
}
