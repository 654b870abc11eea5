package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Resource limits by the names the host passes, applied to this process before the tool
// starts, so that the tool and everything it runs (compile, asm, link, vet) inherit them.
var rlimits = map[string]int{
	"as":     syscall.RLIMIT_AS, // per-process address space: a backstop where no cgroup caps memory
	"fsize":  syscall.RLIMIT_FSIZE,
	"nofile": syscall.RLIMIT_NOFILE,
	"core":   syscall.RLIMIT_CORE,
}

// What enter needs in its user namespace: mounting an overlay (overlayfs checks its work
// directory with the mounter's credentials), and emptying the capability bounding set.
const (
	capDacOverride = 1
	capSetpcap     = 8
	capSysAdmin    = 21
)

// run is the sandbox's first command: it applies the limits and opens the forwarder to the
// module proxy relay (both stay with this process), then starts "enter", which becomes the go
// tool, and exits with the tool's status (a death by signal N as 128+N). enter starts in a user
// and mount namespace of its own, nested in the sandbox's, holding just the capabilities it
// needs to mount the cache layer and empty its bounding set; it drops them all before the tool.
func run(args []string) int {
	opts, command := splitCommand(args)
	p := pairs(opts)
	for _, l := range p["-limit"] {
		if err := setLimit(l); err != nil {
			fatal("%v", err)
		}
	}
	if f := p["-forward"]; len(f) == 1 {
		addr, socket, ok := strings.Cut(f[0], "=")
		if !ok {
			usage()
		}
		if err := startForwarder(addr, socket); err != nil {
			fatal("module proxy forwarder: %v", err)
		}
	}
	if len(p["-seccomp"]) != 1 {
		usage()
	}
	fd, err := strconv.Atoi(p["-seccomp"][0])
	if err != nil {
		usage()
	}
	self, err := os.Executable()
	if err != nil {
		fatal("locating myself: %v", err)
	}
	enterArgs := []string{"enter", "-seccomp", "3"}
	cmd := exec.Command(self)
	uid, gid := os.Getuid(), os.Getgid()
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:                 syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
		UidMappings:                []syscall.SysProcIDMap{{ContainerID: uid, HostID: uid, Size: 1}},
		GidMappings:                []syscall.SysProcIDMap{{ContainerID: gid, HostID: gid, Size: 1}},
		GidMappingsEnableSetgroups: false,
		AmbientCaps:                []uintptr{capDacOverride, capSetpcap, capSysAdmin},
	}
	if o := p["-overlay"]; len(o) == 1 {
		layer, err := parseOverlay(o[0])
		if err != nil {
			fatal("%v", err)
		}
		if err := prepareLayer(layer); err != nil {
			fatal("preparing the cache layer: %v", err)
		}
		enterArgs = append(enterArgs, "-overlay", o[0])
	}
	cmd.Args = append(append(append([]string{self}, enterArgs...), "--"), command...)
	cmd.ExtraFiles = []*os.File{os.NewFile(uintptr(fd), "seccomp filter")}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fatal("starting the tool: %v", err)
	}
	// A stop from the host (the build's time limit) reaches the tool too.
	stops := make(chan os.Signal, 1)
	signal.Notify(stops, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		for s := range stops {
			cmd.Process.Signal(s)
		}
	}()
	status := exitStatus(cmd.Wait())
	if o := p["-overlay"]; len(o) == 1 {
		if layer, err := parseOverlay(o[0]); err == nil {
			removeWorkDir(layer.work)
		}
	}
	return status
}

type overlay struct{ lower, upper, work, target string }

// removeWorkDir removes an overlay work directory, whose inner "work" overlayfs leaves with
// mode 0: made accessible again first (it is ours), or neither we nor the host could remove it.
func removeWorkDir(dir string) error {
	if _, err := os.Lstat(dir); os.IsNotExist(err) {
		return nil
	}
	var unlock func(string)
	unlock = func(d string) {
		os.Chmod(d, 0o700)
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if e.IsDir() {
				unlock(filepath.Join(d, e.Name()))
			}
		}
	}
	unlock(dir)
	return os.RemoveAll(dir)
}

func parseOverlay(spec string) (overlay, error) {
	f := strings.Split(spec, ":")
	if len(f) != 4 {
		return overlay{}, fmt.Errorf("bad -overlay %q", spec)
	}
	for _, d := range f {
		if !filepath.IsAbs(d) {
			return overlay{}, fmt.Errorf("bad -overlay %q", spec)
		}
	}
	return overlay{f[0], f[1], f[2], f[3]}, nil
}

// prepareLayer makes the layer's directories and, in the upper one, a trim.txt dated now: the
// go command trims a cache not trimmed for a day, walking it and deleting its oldest entries,
// work for nothing in a layer that lives for one request.
func prepareLayer(l overlay) error {
	// A volatile overlay marks its work directory, and overlayfs refuses to mount over a
	// marked one again (the build's vet mounts the same layer after it): a fresh one each time.
	if err := removeWorkDir(l.work); err != nil {
		return err
	}
	for _, d := range []string{l.upper, l.work, l.target} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(l.upper, "trim.txt"), []byte(strconv.FormatInt(time.Now().Unix(), 10)), 0o600)
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
