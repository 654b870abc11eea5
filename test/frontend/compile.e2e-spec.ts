/**
 * POST /compile end to end: real programs built by the real Go toolchain, run in the real gVisor
 * sandbox, decoded from faketime playback into the contract's answer. Nothing is mocked.
 */
import type { Stack } from '../support/stack';
import { request } from '../support/http';
import { COMPILE_KEYS, CompileResponse, LINUX_AMD64, compile, output, postCompile } from '../support/compile';
import { frontendStackForFile, go } from './helpers';

const SECOND = 1_000_000_000;

let stack: Stack;
// Every build directory the service made during this file is gone again after it.
frontendStackForFile((s) => { stack = s; }, { checkBuildDirs: true });

const HELLO = go`
  package main

  import "fmt"

  func main() {
    fmt.Println("hello, contract")
  }
`;

describe('virtual time', () => {
  it('starts the clock at 2009-11-10 23:00:00 UTC', async () => {
    const r = await compile(stack, go`
      package main

      import (
        "fmt"
        "time"
      )

      func main() {
        fmt.Println(time.Now().UTC())
        fmt.Println(time.Now().UnixNano())
      }
    `);
    expect(r).toEqual({
      Errors: '',
      Events: [{ Message: '2009-11-10 23:00:00 +0000 UTC\n1257894000000000000\n', Kind: 'stdout', Delay: 0 }],
      Status: 0,
      IsTest: false,
      TestsFailed: 0,
    });
  });

  it('fires 3 s, 7 s and 11 s tickers in virtual-time order, with Delays in ns', async () => {
    // 33 s of virtual time; the run would time out (5 s) if the sleeps were real.
    const r = await compile(stack, go`
      package main

      import (
        "fmt"
        "sync"
        "time"
      )

      func main() {
        start := time.Now()
        var wg sync.WaitGroup
        for _, d := range []time.Duration{3 * time.Second, 7 * time.Second, 11 * time.Second} {
          wg.Add(1)
          go func(d time.Duration) {
            defer wg.Done()
            t := time.NewTicker(d)
            defer t.Stop()
            for now := range t.C {
              if now.Sub(start) > 21*time.Second {
                return
              }
              fmt.Println(d)
            }
          }(d)
        }
        wg.Wait()
      }
    `);
    expect(r.Errors).toBe('');
    expect(r.Status).toBe(0);
    const events = r.Events!;
    expect(events.every((e) => e.Kind === 'stdout')).toBe(true);
    // 3 6 7 9 11 12 14 15 18 | 21 (3 s and 7 s at the same instant: one merged event)
    expect(events.slice(0, -1)).toEqual([
      ['3s', 3], ['3s', 3], ['7s', 1], ['3s', 2], ['11s', 2], ['3s', 1], ['7s', 2], ['3s', 1], ['3s', 3],
    ].map(([m, s]) => ({ Message: `${m}\n`, Kind: 'stdout', Delay: (s as number) * SECOND })));
    const last = events[events.length - 1];
    expect(last.Delay).toBe(3 * SECOND);
    expect(last.Message.split('\n').filter(Boolean).sort()).toEqual(['3s', '7s']);
    // The running sum of the Delays is each line's virtual time.
    expect(events.reduce((t, e) => t + e.Delay, 0)).toBe(21 * SECOND);
  });

  it('orders writes alternating between stdout and stderr around Sleeps, with exact Delays', async () => {
    const r = await compile(stack, go`
      package main

      import (
        "fmt"
        "os"
        "time"
      )

      func main() {
        fmt.Println("out 1")
        fmt.Fprintln(os.Stderr, "err 1")
        time.Sleep(time.Second)
        fmt.Println("out 2")
        time.Sleep(500 * time.Millisecond)
        fmt.Fprintln(os.Stderr, "err 2")
        fmt.Fprintln(os.Stderr, "err 3")
        fmt.Println("out 3")
        time.Sleep(2 * time.Second)
        fmt.Fprintln(os.Stderr, "err 4")
        os.Exit(3)
      }
    `);
    // A switch of fd stamps the write 1 ns later (the clock itself does not move, so the next
    // Sleep's event is 1 ns closer); writes at the same instant on one stream merge.
    expect(r).toEqual({
      Errors: '',
      Events: [
        { Message: 'out 1\n', Kind: 'stdout', Delay: 0 },
        { Message: 'err 1\n', Kind: 'stderr', Delay: 1 },
        { Message: 'out 2\n', Kind: 'stdout', Delay: SECOND - 1 },
        { Message: 'err 2\nerr 3\n', Kind: 'stderr', Delay: SECOND / 2 },
        { Message: 'out 3\n', Kind: 'stdout', Delay: 1 },
        { Message: 'err 4\n', Kind: 'stderr', Delay: 2 * SECOND - 1 },
      ],
      Status: 3,
      IsTest: false,
      TestsFailed: 0,
    });
  });
});

describe('tests, examples, fuzz targets', () => {
  it('runs a passing test as a test binary', async () => {
    const r = await compile(stack, go`
      package main

      import "testing"

      func TestAdd(t *testing.T) {
        if got := 1 + 1; got != 2 {
          t.Fatalf("1+1 = %d", got)
        }
      }
    `);
    expect(Object.keys(r)).toEqual(COMPILE_KEYS);
    expect(r).toMatchObject({ Errors: '', Status: 0, IsTest: true, TestsFailed: 0 });
    expect(output(r)).toMatch(/^=== RUN {3}TestAdd\n--- PASS: TestAdd \(\d+\.\d+s\)\nPASS\n$/);
  });

  it('counts failing tests and exits with status 1', async () => {
    const r = await compile(stack, go`
      package main

      import "testing"

      func TestFine(t *testing.T) {}

      func TestBroken(t *testing.T) {
        t.Error("broken on purpose")
      }

      func TestFatal(t *testing.T) {
        t.Fatalf("fatal on purpose: %d", 42)
      }
    `);
    expect(r).toMatchObject({ Errors: '', Status: 1, IsTest: true, TestsFailed: 2 });
    const text = output(r);
    expect(text).toContain('--- PASS: TestFine');
    expect(text).toContain('--- FAIL: TestBroken');
    expect(text).toContain('broken on purpose');
    expect(text).toContain('--- FAIL: TestFatal');
    expect(text).toContain('fatal on purpose: 42');
    expect(text).toMatch(/\nFAIL\n$/);
  });

  it('runs tests that sit in a second file, next to the code they test', async () => {
    const r = await compile(stack, go`
      package main

      func double(x int) int { return 2 * x }
      -- double.go --
      package main

      import "testing"

      func TestDouble(t *testing.T) {
        if got := double(21); got != 42 {
          t.Errorf("double(21) = %d", got)
        }
      }
    `);
    expect(r).toMatchObject({ Errors: '', Status: 0, IsTest: true, TestsFailed: 0 });
    expect(output(r)).toMatch(/^=== RUN {3}TestDouble\n--- PASS: TestDouble \(\d+\.\d+s\)\nPASS\n$/);
  });

  it('checks ordered and unordered example output', async () => {
    const r = await compile(stack, go`
      package main

      import "fmt"

      func Example_ordered() {
        fmt.Println("first")
        fmt.Println("second")
        // Output:
        // first
        // second
      }

      func Example_unordered() {
        for k := range map[string]int{"x": 1, "y": 2, "z": 3} {
          fmt.Println(k)
        }
        // Unordered output:
        // z
        // x
        // y
      }
    `);
    expect(r).toMatchObject({ Errors: '', Status: 0, IsTest: true, TestsFailed: 0 });
    const text = output(r);
    expect(text).toMatch(/--- PASS: Example_ordered \(/);
    expect(text).toMatch(/--- PASS: Example_unordered \(/);
    expect(text).toMatch(/\nPASS\n$/);
  });

  it('fails an example whose output differs', async () => {
    const r = await compile(stack, go`
      package main

      import "fmt"

      func Example_answer() {
        fmt.Println(41)
        // Output: 42
      }
    `);
    expect(r).toMatchObject({ Errors: '', Status: 1, IsTest: true, TestsFailed: 1 });
    const text = output(r);
    expect(text).toMatch(/--- FAIL: Example_answer \(/);
    expect(text).toContain('got:\n41\nwant:\n42\n');
  });

  it("runs a fuzz target's seed corpus", async () => {
    const r = await compile(stack, go`
      package main

      import (
        "testing"
        "unicode/utf8"
      )

      func reverse(s string) string {
        r := []rune(s)
        for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
          r[i], r[j] = r[j], r[i]
        }
        return string(r)
      }

      func FuzzReverse(f *testing.F) {
        f.Add("hello")
        f.Add("playground")
        f.Add("")
        f.Fuzz(func(t *testing.T, s string) {
          if !utf8.ValidString(s) {
            t.Skip()
          }
          if got := reverse(reverse(s)); got != s {
            t.Errorf("reverse twice: %q, want %q", got, s)
          }
          t.Logf("seed %q ok", s)
        })
      }
    `);
    expect(r).toMatchObject({ Errors: '', Status: 0, IsTest: true, TestsFailed: 0 });
    const text = output(r);
    expect(text).toContain('=== RUN   FuzzReverse\n');
    for (const seed of ['seed#0', 'seed#1', 'seed#2']) expect(text).toContain(`--- PASS: FuzzReverse/${seed}`);
    expect(text).toContain('seed "hello" ok');
    expect(text).toContain('seed "playground" ok');
    expect(text).toMatch(/--- PASS: FuzzReverse \(/);
    expect(text).toMatch(/\nPASS\n$/);
  });

  it('runs TestMain around the tests', async () => {
    const r = await compile(stack, go`
      package main

      import (
        "fmt"
        "os"
        "testing"
      )

      func TestMain(m *testing.M) {
        fmt.Println("setup in TestMain")
        code := m.Run()
        fmt.Println("teardown in TestMain")
        os.Exit(code)
      }

      func TestInside(t *testing.T) {
        fmt.Println("inside the test")
      }
    `);
    expect(r).toMatchObject({ Errors: '', Status: 0, IsTest: true, TestsFailed: 0 });
    expect(output(r)).toMatch(/^setup in TestMain\n=== RUN {3}TestInside\ninside the test\n--- PASS: TestInside \(\d+\.\d+s\)\nPASS\nteardown in TestMain\n$/);
  });
});

describe('vet', () => {
  const WRONG_VERB = go`
    package main

    import "fmt"

    func main() {
      fmt.Printf("%d\n", "hello")
    }
  `;
  const VET_MESSAGE = /^(?:\.\/)?prog\.go:6:14: fmt\.Printf format %d has arg "hello" of wrong type string\n$/;

  it('withVet=true reports the wrong verb in VetErrors and still runs the program', async () => {
    const r = await compile(stack, WRONG_VERB, { withVet: true });
    expect(Object.keys(r)).toEqual([...COMPILE_KEYS, 'VetErrors']);
    expect(r.VetErrors).toMatch(VET_MESSAGE);
    expect(r.VetErrors).not.toMatch(/^# |\/tmp/m);
    expect(r).toMatchObject({ Errors: '', Status: 0, IsTest: false, TestsFailed: 0 });
    expect(r.Events).toEqual([{ Message: '%!d(string=hello)\n', Kind: 'stdout', Delay: 0 }]);
  });

  it('withVet=false has neither VetErrors nor VetOK', async () => {
    const r = await compile(stack, WRONG_VERB, { withVet: false });
    expect(Object.keys(r)).toEqual(COMPILE_KEYS);
    expect(r.Events).toEqual([{ Message: '%!d(string=hello)\n', Kind: 'stdout', Delay: 0 }]);
  });

  it('a clean program with vet gets VetOK true', async () => {
    const r = await compile(stack, HELLO, { withVet: true });
    expect(Object.keys(r)).toEqual([...COMPILE_KEYS, 'VetOK']);
    expect(r).toEqual({
      Errors: '', Events: [{ Message: 'hello, contract\n', Kind: 'stdout', Delay: 0 }], Status: 0, IsTest: false, TestsFailed: 0, VetOK: true,
    });
  });

  it('JSON requests take WithVet, and the deprecated /vet always vets', async () => {
    const viaJson = await compile(stack, WRONG_VERB, { json: true, withVet: true });
    expect(viaJson.VetErrors).toMatch(VET_MESSAGE);
    // The deprecated /vet only vets: its findings come back in Errors and nothing runs.
    const viaVet = await compile(stack, WRONG_VERB, { path: '/vet' });
    expect(viaVet.Errors).toMatch(VET_MESSAGE);
    expect(viaVet.Events).toBeNull();
  });
});

describe('programs of several files, modules and imports', () => {
  it('builds two files of package main (txtar)', async () => {
    const r = await compile(stack, go`
      package main

      import "fmt"

      func main() {
        fmt.Println(greeting("two files"))
      }
      -- other.go --
      package main

      func greeting(who string) string { return "hello from " + who }
    `);
    expect(r.Errors).toBe('');
    expect(output(r)).toBe('hello from two files\n');
  });

  it('builds a go.mod module with a subpackage', async () => {
    const r = await compile(stack, go`
      -- go.mod --
      module example.com/m

      go 1.22
      -- prog.go --
      package main

      import (
        "fmt"

        "example.com/m/sub"
      )

      func main() {
        fmt.Println(sub.Greeting("modules"))
      }
      -- sub/sub.go --
      package sub

      func Greeting(who string) string { return "hello, " + who }
    `);
    expect(r.Errors).toBe('');
    expect(output(r)).toBe('hello, modules\n');
  });

  // uuid.NewSHA1 is deterministic: the same name gives the same UUID everywhere.
  const UUID_MAIN = go`
    package main

    import (
      "fmt"

      "github.com/google/uuid"
    )

    func main() {
      fmt.Println(uuid.NewSHA1(uuid.NameSpaceDNS, []byte("go.dev")))
    }
  `;
  const GO_DEV_UUID = '91da4ff0-bcdb-5fa4-b85d-7c2de6ebc8fe\n';

  it('resolves a third-party import without a go.mod', async () => {
    const r = await compile(stack, UUID_MAIN);
    expect(r.Errors).toBe('');
    expect(output(r)).toBe(GO_DEV_UUID);
  });

  it('resolves a third-party import required by a go.mod', async () => {
    const r = await compile(stack, `-- go.mod --\nmodule example.com/u\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n-- prog.go --\n${UUID_MAIN}`);
    expect(r.Errors).toBe('');
    expect(output(r)).toBe(GO_DEV_UUID);
  });

  it('has time zone data', async () => {
    const r = await compile(stack, go`
      package main

      import (
        "fmt"
        "time"
      )

      func main() {
        loc, err := time.LoadLocation("America/New_York")
        if err != nil {
          fmt.Println("error:", err)
          return
        }
        fmt.Println(time.Now().In(loc))
      }
    `);
    expect(r.Errors).toBe('');
    expect(output(r)).toBe('2009-11-10 18:00:00 -0500 EST\n');
  });
});

describe('errors the user sees', () => {
  it('reports a syntax error in a second file by its name, without banner or temp path', async () => {
    const r = await compile(stack, go`
      package main

      func main() { hello() }
      -- other.go --
      package main

      func hello() { println( }
    `);
    expect(Object.keys(r)).toEqual(COMPILE_KEYS);
    expect(r.Errors).toMatch(/^\.\/other\.go:3:\d+: syntax error/);
    expect(r.Errors).not.toContain('# play');
    expect(r.Errors).not.toMatch(/^#/m);
    expect(r.Errors).not.toContain('/tmp');
    expect(r).toMatchObject({ Events: null, Status: 0, IsTest: false, TestsFailed: 0 });
  });

  it('refuses a package other than main that has no tests', async () => {
    const r = await compile(stack, go`
      package foo

      func F() int { return 1 }
    `);
    expect(r).toEqual({ Errors: 'package name must be main', Events: null, Status: 0, IsTest: false, TestsFailed: 0 });
  });

  it('stops a program that never ends as play.golang.org does: "timeout running program" ending stderr, Errors empty, not cached', async () => {
    const forever = go`
      package main

      func main() {
        for {
        }
      }
    `;
    const stopped = { Errors: '', Events: [{ Message: 'timeout running program\n', Kind: 'stderr', Delay: 0 }], Status: 1, IsTest: false, TestsFailed: 0 };
    const first = await postCompile(stack, forever);
    expect(first.status).toBe(200);
    expect(first.json<CompileResponse>()).toEqual(stopped);
    expect(first.ms).toBeGreaterThanOrEqual(4_500);
    // Timeouts are never cached: the second attempt runs (and times out) again.
    const second = await postCompile(stack, forever);
    expect(second.json<CompileResponse>()).toEqual(stopped);
    expect(second.ms).toBeGreaterThanOrEqual(4_500);
  }, 60_000);

  // "timeout running go build" is provoked for real in test/hardening/hostile.e2e-spec.ts (a build past
  // the 10 s limit), which also checks that no build directory or compiler is left behind.
});

describe('the answer itself', () => {
  /** The frontend's /compile cache hits on linux-amd64, from its Prometheus metrics. */
  async function cacheHits(): Promise<number> {
    const r = await request(`${stack.frontendOpsUrl}/metrics`);
    expect(r.status).toBe(200);
    const m = /^playground_compile_total\{backend="linux-amd64",outcome="ok",cache="hit"\} (\d+)$/m.exec(r.text);
    return m ? Number(m[1]) : 0;
  }

  it('answers a repeated request from the cache: faster and byte-identical', async () => {
    const body = go`
      package main

      import (
        "fmt"
        "time"
      )

      func main() {
        fmt.Println("cached answer")
        time.Sleep(time.Second)
        fmt.Println("one second later")
      }
    `;
    const hitsBefore = await cacheHits();
    const first = await postCompile(stack, body);
    const second = await postCompile(stack, body);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.ms).toBeLessThan(first.ms);
    // The frontend's own account: exactly the second answer came from the cache.
    expect(await cacheHits()).toBe(hitsBefore + 1);
    const r = first.json<CompileResponse>();
    expect(Object.keys(r)).toEqual(COMPILE_KEYS);
    for (const e of r.Events!) expect(Object.keys(e)).toEqual(['Message', 'Kind', 'Delay']);
    expect(r.Events).toEqual([
      { Message: 'cached answer\n', Kind: 'stdout', Delay: 0 },
      { Message: 'one second later\n', Kind: 'stdout', Delay: SECOND },
    ]);
  });

  it('answers JSON with the contract headers: routing headers and CORS', async () => {
    const pinned = await postCompile(stack, HELLO);
    expect(pinned.status).toBe(200);
    expect(pinned.headers['content-type']).toMatch(/^application\/json/);
    expect(pinned.headers['x-playground-backend']).toBe(LINUX_AMD64);
    expect(pinned.headers['x-playground-route']).toMatch(/opt-in header/);
    expect(pinned.headers['access-control-allow-origin']).toBe('*');

    const routed = await postCompile(stack, HELLO, { backend: null });
    expect(routed.status).toBe(200);
    expect(routed.headers['x-playground-backend']).toEqual(expect.any(String));
    expect(String(routed.headers['x-playground-route'])).not.toBe('');
    expect(routed.headers['access-control-allow-origin']).toBe('*');
  });

  it('takes the JSON request form too', async () => {
    const r = await compile(stack, HELLO, { json: true });
    expect(r).toEqual({ Errors: '', Events: [{ Message: 'hello, contract\n', Kind: 'stdout', Delay: 0 }], Status: 0, IsTest: false, TestsFailed: 0 });
  });
});
