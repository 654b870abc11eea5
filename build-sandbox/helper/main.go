// Command build-helper is the service's own small part of the build sandbox (see
// src/build/sandbox/). It has three modes:
//
//	build-helper cgexec DIR... -- COMMAND...   (on the host) joins the per-build cgroups, then
//	                                           becomes COMMAND (bubblewrap), so every process of
//	                                           the build is inside the limits from its first
//	                                           instruction
//	build-helper run [flags] -- COMMAND...     (inside the sandbox) sets resource limits, opens
//	                                           the one way out to the module proxy relay, runs
//	                                           the go tool and reports its exit status
//	build-helper cacheprog BASE PRIVATE        (inside the sandbox) the go command's GOCACHEPROG:
//	                                           a read-only shared build cache under a private,
//	                                           writable one
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
	case "cacheprog":
		if len(args) != 2 {
			usage()
		}
		if err := serveCache(os.Stdin, os.Stdout, args[0], args[1]); err != nil {
			fmt.Fprintf(os.Stderr, "build-helper cacheprog: %v\n", err)
			os.Exit(1)
		}
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: build-helper cgexec DIR... -- CMD... | run [-limit NAME=N]... [-forward ADDR=SOCKET] -- CMD... | cacheprog BASE PRIVATE")
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
