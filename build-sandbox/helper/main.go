// Command build-helper is the service's own small part of the build sandbox (see
// src/build/sandbox/). It has three modes:
//
//	build-helper cgexec DIR... -- COMMAND...   (on the host) joins the per-build cgroups, then
//	                                           becomes COMMAND (bubblewrap), so every process of
//	                                           the build is inside the limits from its first
//	                                           instruction
//	build-helper run [flags] -- COMMAND...     (inside the sandbox) sets resource limits, opens
//	                                           the one way out to the module proxy relay, and
//	                                           runs COMMAND through "enter", reporting its status
//	build-helper enter [flags] -- COMMAND...   (inside the sandbox, started by run) mounts the
//	                                           build cache's private layer over the shared one,
//	                                           drops every capability, loads the tools' seccomp
//	                                           filter and becomes COMMAND (the go tool)
//
// None of the modes reads anything a user sent: user files are only read by the go tools it
// starts, and those run inside the sandbox.
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	args := os.Args[2:]
	switch os.Args[1] {
	case "cgexec":
		cgexec(args)
	case "run":
		os.Exit(run(args))
	case "enter":
		enter(args)
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: build-helper cgexec DIR... -- CMD... | run [-limit NAME=N]... [-forward ADDR=SOCKET] [-overlay LOWER:UPPER:WORK:TARGET] -seccomp FD -- CMD... | enter [-overlay LOWER:UPPER:WORK:TARGET] -seccomp FD -- CMD...")
	os.Exit(2)
}

// splitCommand separates "OPTIONS -- COMMAND..." and refuses a missing command.
func splitCommand(args []string) (opts, command []string) {
	for i, a := range args {
		if a == "--" {
			if i+1 >= len(args) {
				usage()
			}
			return args[:i], args[i+1:]
		}
	}
	usage()
	return nil, nil
}

// pairs reads "-name value" options into a map of lists.
func pairs(opts []string) map[string][]string {
	out := map[string][]string{}
	if len(opts)%2 != 0 {
		usage()
	}
	for i := 0; i < len(opts); i += 2 {
		out[opts[i]] = append(out[opts[i]], opts[i+1])
	}
	return out
}

func fatal(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "build-helper: "+format+"\n", args...)
	os.Exit(125)
}
