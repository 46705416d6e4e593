// Package lines turns a stream of writes into whole lines, for following a child program's output.
package lines

import (
	"bytes"
	"strings"
	"sync"
)

// Writer calls Fn with each complete line written to it (without the line ending); Flush passes on
// a last line that has no newline.
type Writer struct {
	Fn  func(line string)
	mu  sync.Mutex
	buf []byte
}

// Write implements io.Writer.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.Fn(strings.TrimRight(string(w.buf[:i]), "\r"))
		w.buf = w.buf[i+1:]
	}
}

// Flush passes on what is left.
func (w *Writer) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 {
		w.Fn(string(w.buf))
		w.buf = nil
	}
}
