package main

import "io"

// cappedBuffer keeps at most limit bytes of a stream and notes whether more arrived, so that a
// flood of output costs the container no more memory than the limit.
type cappedBuffer struct {
	limit    int64
	buf      []byte
	overflow bool
}

func newCappedBuffer(limit int64) *cappedBuffer { return &cappedBuffer{limit: limit} }

// readFrom reads r to its end, returning true the moment the limit is exceeded.
func (c *cappedBuffer) readFrom(r io.Reader) bool {
	chunk := make([]byte, 32<<10)
	for {
		n, err := r.Read(chunk)
		if n > 0 && !c.overflow {
			if int64(len(c.buf)+n) > c.limit {
				c.overflow = true
				c.buf = nil
				go io.Copy(io.Discard, r) // keep the pipe drained until the program is killed
				return true
			}
			c.buf = append(c.buf, chunk[:n]...)
		}
		if err != nil {
			return false
		}
	}
}

func (c *cappedBuffer) bytes() []byte {
	if c.buf == nil {
		return []byte{}
	}
	return c.buf
}
