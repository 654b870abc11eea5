package main

import "strconv"

// memoryReserve is what the container needs beside the program's heap: the sandbox's own
// kernel (gVisor's sentry) and this supervisor, the program's stacks, binary text and runtime
// metadata, which GOMEMLIMIT does not see.
const memoryReserve = 24 << 20

// smallestMemoryLimit keeps a program whose binary nearly fills the container from being told
// to live in no memory at all (it then runs into the container's limit, as without this).
const smallestMemoryLimit = 8 << 20

// memoryLimitEnv gives the program a GOMEMLIMIT below the container's memory limit. Without
// it the Go runtime paces its collector by GOGC alone and returns freed memory lazily, so a
// program whose live heap is small but that churns garbage (Go's test/init1.go: 1 GB of garbage,
// 1 MB kept) can pass the container's limit and be killed; with it the runtime collects and
// gives memory back before the limit is reached. The binary counts against the same limit, as
// it lives in the container's memory-backed /tmp. A program may still set its own limit.
func memoryLimitEnv(binaryBytes int64) []string {
	total := envInt("SANDBOX_MEMORY_MB", 0) << 20
	if total == 0 {
		return nil
	}
	limit := total - binaryBytes - memoryReserve
	if limit < smallestMemoryLimit {
		limit = smallestMemoryLimit
	}
	return []string{"GOMEMLIMIT=" + strconv.FormatInt(limit, 10)}
}
