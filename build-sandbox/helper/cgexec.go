package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// cgexec moves this process into each given cgroup directory (one per hierarchy under cgroup
// v1, one under v2) and then execs the command. Writing "0" to cgroup.procs means "the writer":
// joining before the exec is what makes the limits bind the sandbox's first process and
// everything it forks; moving a process in after it started would leave its children out.
func cgexec(args []string) {
	dirs, command := splitCommand(args)
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, "cgroup.procs"), []byte("0\n"), 0); err != nil {
			fmt.Fprintf(os.Stderr, "build-helper cgexec: joining %s: %v\n", d, err)
			os.Exit(125)
		}
	}
	path, err := exec.LookPath(command[0])
	if err == nil {
		err = syscall.Exec(path, command, os.Environ())
	}
	fmt.Fprintf(os.Stderr, "build-helper cgexec: %s: %v\n", command[0], err)
	os.Exit(125)
}
