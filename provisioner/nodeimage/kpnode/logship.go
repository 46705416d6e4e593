package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// runLogship is the sidecar lesson's log shipper: it follows files (waiting for them to appear, and
// starting over when they are truncated or replaced) and ships every line: to its standard output,
// where `kubectl logs POD -c SIDECAR` shows it, and, with --to, as POSTed batches to a collector.
func runLogship(args []string) error {
	fs := flag.NewFlagSet("logship", flag.ContinueOnError)
	prefix := fs.String("prefix", envOr("LOGSHIP_PREFIX", "shipped"), "tag put before each line")
	to := fs.String("to", os.Getenv("LOGSHIP_TO"), "optional URL to POST lines to")
	poll := fs.Duration("poll", 500*time.Millisecond, "how often to look for new lines")
	if err := fs.Parse(args); err != nil {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		if f := os.Getenv("LOGSHIP_FILES"); f != "" {
			files = []string{f}
		} else {
			return errors.New("usage: logship [--prefix P] [--to URL] FILE")
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	ship := func(file, line string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(out, "[%s] %s: %s\n", *prefix, file, line)
		out.Flush()
		if *to != "" {
			resp, err := http.Post(*to, "text/plain", bytes.NewBufferString(file+": "+line+"\n"))
			if err == nil {
				resp.Body.Close()
			}
		}
	}
	var wg sync.WaitGroup
	for _, f := range files {
		wg.Add(1)
		go func(f string) {
			defer wg.Done()
			follow(ctx, f, *poll, func(line string) { ship(f, line) })
		}(f)
	}
	wg.Wait()
	return nil
}

// follow reads path from its start and then every line appended to it.
func follow(ctx context.Context, path string, poll time.Duration, fn func(string)) {
	var f *os.File
	var offset int64
	var partial []byte
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	buf := make([]byte, 64*1024)
	for {
		if f == nil {
			var err error
			if f, err = os.Open(path); err != nil {
				f = nil
			} else {
				offset = 0
			}
		}
		if f != nil {
			st, err1 := f.Stat()
			cur, err2 := os.Stat(path)
			switch {
			case err2 != nil || err1 != nil || !os.SameFile(st, cur):
				// rotated or removed: finish with the old file next time round, then reopen
				f.Close()
				f = nil
				continue
			case cur.Size() < offset:
				// truncated: start over
				offset = 0
				partial = nil
				_, _ = f.Seek(0, io.SeekStart)
			}
			for {
				n, err := f.Read(buf)
				if n > 0 {
					offset += int64(n)
					partial = append(partial, buf[:n]...)
					for {
						i := bytes.IndexByte(partial, '\n')
						if i < 0 {
							break
						}
						fn(string(partial[:i]))
						partial = partial[i+1:]
					}
				}
				if err != nil || n == 0 {
					break
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(poll):
		}
	}
}
