package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func converse(t *testing.T, base, private string, lines ...string) []cacheResponse {
	t.Helper()
	var out bytes.Buffer
	if err := serveCache(strings.NewReader(strings.Join(lines, "\n")+"\n"), &out, base, private); err != nil {
		t.Fatal(err)
	}
	var got []cacheResponse
	dec := json.NewDecoder(&out)
	for dec.More() {
		var r cacheResponse
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	return got
}

func put(id int64, action, output, body string) []string {
	b64, _ := json.Marshal(base64.StdEncoding.EncodeToString([]byte(body)))
	req, _ := json.Marshal(cacheRequest{ID: id, Command: "put", ActionID: []byte(action), OutputID: []byte(output), BodySize: int64(len(body))})
	return []string{string(req), string(b64)}
}

func get(id int64, action string) string {
	req, _ := json.Marshal(cacheRequest{ID: id, Command: "get", ActionID: []byte(action)})
	return string(req)
}

func TestPutThenGetInTheSameLayer(t *testing.T) {
	dir := t.TempDir()
	lines := append(put(1, "action-1", "output-1", "compiled bytes"), get(2, "action-1"), get(3, "nothing"), `{"ID":4,"Command":"close"}`)
	got := converse(t, dir, dir, lines...)
	if len(got) != 5 || got[0].KnownCommands == nil {
		t.Fatalf("want the capabilities then four answers, got %+v", got)
	}
	if got[1].ID != 1 || got[1].Err != "" || got[1].DiskPath == "" {
		t.Fatalf("put: %+v", got[1])
	}
	if got[2].Miss || string(got[2].OutputID) != "output-1" || got[2].Size != int64(len("compiled bytes")) {
		t.Fatalf("get after put: %+v", got[2])
	}
	if data, _ := os.ReadFile(got[2].DiskPath); string(data) != "compiled bytes" {
		t.Fatalf("disk path holds %q", data)
	}
	if !got[3].Miss {
		t.Fatalf("unknown action must miss: %+v", got[3])
	}
}

func TestPrivateWritesNeverReachTheBase(t *testing.T) {
	base, private := t.TempDir(), t.TempDir()
	converse(t, base, base, put(1, "std", "std-out", "from the warm-up")...)
	os.Chmod(base, 0o555) // the sandbox mounts the base read-only
	defer os.Chmod(base, 0o755)
	got := converse(t, base, private, append(put(1, "user", "user-out", "a user's program"), get(2, "std"), get(3, "user"))...)
	if got[2].Miss || !strings.HasPrefix(got[2].DiskPath, base) {
		t.Fatalf("a warm-up entry is served from the base: %+v", got[2])
	}
	if got[3].Miss || !strings.HasPrefix(got[3].DiskPath, private) {
		t.Fatalf("the build's own entry is served from its private layer: %+v", got[3])
	}
	found := false
	filepath.Walk(base, func(p string, _ os.FileInfo, _ error) error {
		if data, _ := os.ReadFile(p); strings.Contains(string(data), "a user's program") {
			found = true
		}
		return nil
	})
	if found {
		t.Fatal("a user's output was written into the shared base")
	}
}

func TestTruncatedOutputIsAMiss(t *testing.T) {
	dir := t.TempDir()
	got := converse(t, dir, dir, put(1, "a", "o", "0123456789")...)
	os.WriteFile(got[1].DiskPath, []byte("0123"), 0o644)
	if r := converse(t, dir, dir, get(1, "a")); !r[1].Miss {
		t.Fatalf("an output of the wrong size must miss, got %+v", r[1])
	}
}
