// Command supervisor is the first process of every sandbox container. The container is started
// ahead of demand and waits here for its one program: it reads a request from stdin, runs the
// binary under the run timeout with bounded output, and writes one JSON result line to stdout
// as soon as the program has ended, so the host can answer before the container is torn down.
//
// Request on stdin: one JSON line {"args":[...],"size":N,"loader":[...]} then N bytes of binary.
// "loader", when set, is the command that runs the binary (the legacy NaCl path: sel_ldr).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"
)

type request struct {
	// Nonce prefixes the result line: the program can reach this process's stdout (through
	// /proc/1/fd/1 under gVisor) but does not know the nonce, so it cannot forge a result.
	Nonce  string   `json:"nonce"`
	Args   []string `json:"args"`
	Size   int64    `json:"size"`
	Loader []string `json:"loader"`
}

type result struct {
	Error    string `json:"error,omitempty"`
	ExitCode int    `json:"exitCode"`
	Stdout   []byte `json:"stdout"` // encoding/json writes []byte as base64, as the contract wants
	Stderr   []byte `json:"stderr"`
	// TimedOut marks a program stopped at its time limit, whose answer is otherwise an ordinary
	// one (see timeoutNotice): the host must not cache it, and cannot tell it from the output.
	TimedOut bool `json:"timedOut,omitempty"`
}

// timeoutNotice ends the stderr of a program stopped at its time limit, as the Go playground's
// runner writes it: the answer keeps the partial output, and the official client shows the
// notice and "Program exited" instead of a build failure.
const timeoutNotice = "timeout running program\n"

// timeoutExitCode is the status of a program stopped at its time limit: the Go playground's
// runner exits 1 then, whatever the signal did to the program.
const timeoutExitCode = 1

// stopMargin is how long before the run limit the program is stopped, so that the supervisor's
// answer arrives before the host's own deadline (which then only catches a silent sandbox).
const stopMargin = 500 * time.Millisecond

const binaryPath = "/tmp/a.out"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "healthcheck-echo" {
		// Lets the host's health check send this very binary as the program to run.
		fmt.Println("ok")
		return
	}
	if len(os.Args) > 2 && os.Args[1] == execChildMode {
		execChild(os.Args[2:])
		return
	}
	// Not dumpable: under runc the program (same uid) may then neither ptrace this process nor
	// open its /proc files. gVisor ignores the flag for /proc/1/fd, hence the nonce too.
	syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_DUMPABLE, 0, 0)
	announceReady()
	nonce, res := run()
	endOtherProcesses()
	out, _ := json.Marshal(res)
	os.Stdout.Write(append(append([]byte(nonce+" "), out...), '\n'))
}

func envInt(name string, def int64) int64 {
	if v, err := strconv.ParseInt(os.Getenv(name), 10, 64); err == nil && v > 0 {
		return v
	}
	return def
}

// fail reports the supervisor's own trouble in the result line, the one channel the program
// cannot write to; stderr is not read by the host (the program can write there too).
func fail(format string, args ...any) result {
	return result{Error: "internal: " + fmt.Sprintf(format, args...), ExitCode: -1}
}

func run() (string, result) {
	var nonce string
	res := runRequest(&nonce)
	return nonce, res
}

func runRequest(nonce *string) result {
	maxBinary := envInt("SANDBOX_MAX_BINARY_BYTES", 100<<20)
	outputLimit := envInt("SANDBOX_OUTPUT_LIMIT_BYTES", 1<<20)
	limit := time.Duration(envInt("SANDBOX_RUN_TIMEOUT_MS", 5000)) * time.Millisecond
	timeout := limit - stopMargin
	if timeout < limit/2 {
		timeout = limit / 2
	}
	grace := time.Duration(envInt("SANDBOX_KILL_GRACE_MS", 250)) * time.Millisecond

	in := bufio.NewReaderSize(os.Stdin, 64<<10)
	line, err := in.ReadBytes('\n')
	if err != nil {
		return fail("reading request header: %v", err)
	}
	var req request
	if err := json.Unmarshal(line, &req); err != nil {
		return fail("bad request header: %v", err)
	}
	*nonce = req.Nonce
	if req.Size <= 0 || req.Size > maxBinary {
		return fail("binary size %d out of range", req.Size)
	}
	f, err := os.OpenFile(binaryPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return fail("creating binary: %v", err)
	}
	if _, err := io.CopyN(f, in, req.Size); err != nil {
		f.Close()
		return fail("receiving binary: %v", err)
	}
	if err := f.Close(); err != nil {
		return fail("writing binary: %v", err)
	}

	// The program starts through this binary's exec-child mode, which lowers its process limit
	// first: a fork bomb then runs out of processes, not the sandbox out of memory.
	self, err := os.Executable()
	if err != nil {
		return fail("locating the supervisor: %v", err)
	}
	argv := []string{self, execChildMode, strconv.FormatInt(envInt("SANDBOX_PROCESS_LIMIT", 48), 10)}
	argv = append(append(argv, req.Loader...), binaryPath)
	argv = append(argv, req.Args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = "/tmp"
	// The program sees nothing of the container's configuration.
	cmd.Env = []string{"HOME=/tmp", "TMPDIR=/tmp", "PATH=/", "ZONEINFO=/zoneinfo.zip"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout := newCappedBuffer(outputLimit)
	stderr := newCappedBuffer(outputLimit)
	outPipe, _ := cmd.StdoutPipe()
	errPipe, _ := cmd.StderrPipe()
	shieldFromProgramSignals()
	if err := cmd.Start(); err != nil {
		return fail("starting program: %v", err)
	}
	killGroup := func(sig syscall.Signal) { syscall.Kill(-cmd.Process.Pid, sig) }

	tooLarge := make(chan struct{}, 2)
	var readers sync.WaitGroup
	for _, p := range []struct {
		r io.Reader
		b *cappedBuffer
	}{{outPipe, stdout}, {errPipe, stderr}} {
		readers.Add(1)
		go func(r io.Reader, b *cappedBuffer) {
			defer readers.Done()
			if b.readFrom(r) {
				tooLarge <- struct{}{}
			}
		}(p.r, p.b)
	}
	exited := make(chan error, 1)
	go func() {
		// Both streams are read to their end before Wait, which closes the pipes.
		readers.Wait()
		exited <- cmd.Wait()
	}()

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var res result
	select {
	case err := <-exited:
		res.ExitCode = exitCode(err)
	case <-tooLarge:
		killGroup(syscall.SIGKILL)
		<-exited
		return result{Error: "Output too large", ExitCode: -1}
	case <-timer.C:
		killGroup(syscall.SIGINT)
		select {
		case <-exited:
		case <-time.After(grace):
			killGroup(syscall.SIGKILL)
			<-exited
		}
		res.TimedOut = true
		res.ExitCode = timeoutExitCode
	}
	if stdout.overflow || stderr.overflow {
		return result{Error: "Output too large", ExitCode: -1}
	}
	res.Stdout, res.Stderr = stdout.bytes(), stderr.bytes()
	if res.TimedOut {
		res.Stderr = append(res.Stderr, timeoutNotice...)
	}
	return res
}

// signalExitCode is the status of a program that died of a signal: the Go playground's runner
// exits with the -1 that os/exec reports then, which the kernel turns into 255.
const signalExitCode = 255

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return signalExitCode
		}
		return ee.ExitCode()
	}
	return -1
}
