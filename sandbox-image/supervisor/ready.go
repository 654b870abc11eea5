package main

import "os"

// readyLine tells the host that this sandbox has booted and waits for its program. An engine
// that cannot tell otherwise when the sandbox is up (runsc run without Docker) counts the
// sandbox as warm from this line on; the host drops it, as it drops every line before the
// nonce's. The program cannot have written it: it has not been received yet.
const readyLine = "ready\n"

func announceReady() {
	os.Stdout.Write([]byte(readyLine))
}
