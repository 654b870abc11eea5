package main

import (
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

const (
	prSetNoNewPrivs      = 38
	prCapbsetDrop        = 24
	prCapAmbient         = 47
	prCapAmbientClearAll = 4
	seccompSetModeFilter = 1
	seccompFilterTsync   = 1
	linuxCapabilityV3    = 0x20080522
)

// enter becomes the go tool: the cache layer mounted (with -overlay), no capability left in any
// set, no way to gain one (no_new_privs), and the tools' seccomp filter loaded for every
// thread. Everything happens on one locked thread, the one that then execs the tool, because
// capabilities and no_new_privs belong to a thread and exec keeps only the caller's.
func enter(args []string) {
	runtime.LockOSThread()
	opts, command := splitCommand(args)
	p := pairs(opts)
	if o := p["-overlay"]; len(o) == 1 {
		layer, err := parseOverlay(o[0])
		if err != nil {
			fatal("%v", err)
		}
		// The shared cache stays read-only underneath; what this build writes lands in its own
		// upper directory, which the host removes with the request. volatile: the layer is
		// thrown away, so unmounting it need not wait for the disk (a sync took ~30 ms).
		data := "lowerdir=" + layer.lower + ",upperdir=" + layer.upper + ",workdir=" + layer.work + ",userxattr,volatile"
		if err := syscall.Mount("overlay", layer.target, "overlay", syscall.MS_NOSUID|syscall.MS_NODEV, data); err != nil {
			fatal("mounting the build cache layer: %v", err)
		}
	}
	path, err := exec.LookPath(command[0])
	if err != nil {
		fatal("%v", err)
	}
	dropCapabilities()
	if len(p["-seccomp"]) != 1 {
		usage()
	}
	fd, err := strconv.Atoi(p["-seccomp"][0])
	if err != nil {
		usage()
	}
	if err := loadSeccomp(fd); err != nil {
		fatal("loading the seccomp filter: %v", err)
	}
	// The tool gets its three standard streams and nothing else bubblewrap or the host left open.
	if _, _, e := syscall.RawSyscall(436 /* SYS_CLOSE_RANGE */, 3, ^uintptr(0), 0); e != 0 {
		fatal("closing descriptors: %v", e)
	}
	fatal("%s: %v", command[0], syscall.Exec(path, command, os.Environ()))
}

func dropCapabilities() {
	if _, _, e := syscall.RawSyscall6(syscall.SYS_PRCTL, prCapAmbient, prCapAmbientClearAll, 0, 0, 0, 0); e != 0 {
		fatal("clearing ambient capabilities: %v", e)
	}
	for c := uintptr(0); c < 64; c++ {
		if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prCapbsetDrop, c, 0); e != 0 && e != syscall.EINVAL { // EINVAL: past the last one
			fatal("emptying the capability bounding set: %v", e)
		}
	}
	header := struct {
		version uint32
		pid     int32
	}{linuxCapabilityV3, 0}
	var data [2]struct{ effective, permitted, inheritable uint32 }
	if _, _, e := syscall.RawSyscall(syscall.SYS_CAPSET, uintptr(unsafe.Pointer(&header)), uintptr(unsafe.Pointer(&data[0])), 0); e != 0 {
		fatal("dropping capabilities: %v", e)
	}
	if _, _, e := syscall.RawSyscall(syscall.SYS_PRCTL, prSetNoNewPrivs, 1, 0); e != 0 {
		fatal("setting no_new_privs: %v", e)
	}
}

// loadSeccomp installs the classic-BPF program the host wrote to fd (struct sock_filter[]).
func loadSeccomp(fd int) error {
	f := os.NewFile(uintptr(fd), "seccomp filter")
	filter, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return err
	}
	if len(filter) == 0 || len(filter)%8 != 0 {
		return syscall.EINVAL
	}
	prog := struct {
		len    uint16
		filter unsafe.Pointer
	}{uint16(len(filter) / 8), unsafe.Pointer(&filter[0])}
	if _, _, e := syscall.RawSyscall(317 /* SYS_SECCOMP */, seccompSetModeFilter, seccompFilterTsync, uintptr(unsafe.Pointer(&prog))); e != 0 {
		return e
	}
	runtime.KeepAlive(filter)
	return nil
}
