package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The go command's GOCACHEPROG protocol (cmd/go/internal/cacheprog): JSON requests on stdin,
// JSON responses on stdout, a "put" body as a base64 JSON string on the line after its request.
type cacheRequest struct {
	ID       int64
	Command  string
	ActionID []byte `json:",omitempty"`
	OutputID []byte `json:",omitempty"`
	BodySize int64  `json:",omitempty"`
}

type cacheResponse struct {
	ID            int64
	Err           string     `json:",omitempty"`
	KnownCommands []string   `json:",omitempty"`
	Miss          bool       `json:",omitempty"`
	OutputID      []byte     `json:",omitempty"`
	Size          int64      `json:",omitempty"`
	Time          *time.Time `json:",omitempty"`
	DiskPath      string     `json:",omitempty"`
}

// layer is one directory of cache entries in our own layout: a/<2 hex>/<action id> holds
// "<output id> <size> <unix ns>", o/<2 hex>/<output id> holds the output itself.
type layer string

func (l layer) actionPath(id []byte) string {
	h := hex.EncodeToString(id)
	return filepath.Join(string(l), "a", h[:2], h)
}

func (l layer) outputPath(id []byte) string {
	h := hex.EncodeToString(id)
	return filepath.Join(string(l), "o", h[:2], h)
}

type entry struct {
	output []byte
	size   int64
	time   time.Time
}

func (l layer) get(action []byte) (entry, bool) {
	data, err := os.ReadFile(l.actionPath(action))
	if err != nil {
		return entry{}, false
	}
	f := strings.Fields(string(data))
	if len(f) != 3 {
		return entry{}, false
	}
	out, err1 := hex.DecodeString(f[0])
	size, err2 := strconv.ParseInt(f[1], 10, 64)
	ns, err3 := strconv.ParseInt(f[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return entry{}, false
	}
	// An entry whose output is missing or of the wrong size is a miss, never a wrong build.
	if st, err := os.Stat(l.outputPath(out)); err != nil || st.Size() != size {
		return entry{}, false
	}
	return entry{out, size, time.Unix(0, ns)}, true
}

// writeAtomic writes through a temporary file and a rename, so that a reader (another build
// sharing the base while it is warmed) never sees half an entry.
func writeAtomic(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// twoLayers serves gets from the private layer, then the shared base, and puts into the
// private layer only. The base holds nothing but the warm-up builds of the set-up, never a
// user's program, so one user's build can neither read nor poison another's. For the warm-up
// itself base and private are the same directory.
type twoLayers struct {
	base, private layer
}

func (c twoLayers) get(action []byte) cacheResponse {
	for _, l := range []layer{c.private, c.base} {
		if e, ok := l.get(action); ok {
			t := e.time
			return cacheResponse{OutputID: e.output, Size: e.size, Time: &t, DiskPath: l.outputPath(e.output)}
		}
	}
	return cacheResponse{Miss: true}
}

func (c twoLayers) put(req cacheRequest, body []byte) (cacheResponse, error) {
	if int64(len(body)) != req.BodySize {
		return cacheResponse{}, fmt.Errorf("put body of %d bytes, announced %d", len(body), req.BodySize)
	}
	out := c.private.outputPath(req.OutputID)
	if st, err := os.Stat(out); err != nil || st.Size() != req.BodySize {
		if err := writeAtomic(out, func(w io.Writer) error { _, err := w.Write(body); return err }); err != nil {
			return cacheResponse{}, err
		}
	}
	index := fmt.Sprintf("%x %d %d\n", req.OutputID, req.BodySize, time.Now().UnixNano())
	if err := writeAtomic(c.private.actionPath(req.ActionID), func(w io.Writer) error { _, err := io.WriteString(w, index); return err }); err != nil {
		return cacheResponse{}, err
	}
	return cacheResponse{DiskPath: out}, nil
}

// serveCache speaks the protocol until "close" or the end of input.
func serveCache(in io.Reader, out io.Writer, base, private string) error {
	if err := os.MkdirAll(private, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	cache := twoLayers{layer(base), layer(private)}
	dec := json.NewDecoder(bufio.NewReaderSize(in, 64<<10))
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	send := func(r cacheResponse) error {
		if err := enc.Encode(r); err != nil {
			return err
		}
		return w.Flush()
	}
	if err := send(cacheResponse{KnownCommands: []string{"get", "put", "close"}}); err != nil {
		return err
	}
	for {
		var req cacheRequest
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		var resp cacheResponse
		switch req.Command {
		case "get":
			resp = cache.get(req.ActionID)
		case "put":
			var body []byte
			if req.BodySize > 0 {
				if err := dec.Decode(&body); err != nil {
					return fmt.Errorf("reading put body: %v", err)
				}
			}
			r, err := cache.put(req, body)
			if err != nil {
				r = cacheResponse{Err: err.Error()}
			}
			resp = r
		case "close":
			resp.ID = req.ID
			return send(resp)
		default:
			resp.Err = fmt.Sprintf("unknown command %q", req.Command)
		}
		resp.ID = req.ID
		if err := send(resp); err != nil {
			return err
		}
	}
}
