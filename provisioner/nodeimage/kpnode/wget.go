package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

// runWget is a small wget for the lesson images (Debian's static busybox wget crashes): -q, -O FILE
// (- for standard output), -T SECONDS, --spider, -S, and -qO- style combined short flags.
func runWget(args []string) error {
	quiet, spider, headers := false, false, false
	out := ""
	timeout := 30 * time.Second
	var target string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--spider":
			spider = true
		case strings.HasPrefix(a, "--timeout="):
			s, _ := strconv.Atoi(strings.TrimPrefix(a, "--timeout="))
			timeout = time.Duration(s) * time.Second
		case strings.HasPrefix(a, "--output-document="):
			out = strings.TrimPrefix(a, "--output-document=")
		case strings.HasPrefix(a, "-") && len(a) > 1 && !strings.HasPrefix(a, "--"):
			flags := a[1:]
			for j := 0; j < len(flags); j++ {
				switch flags[j] {
				case 'q':
					quiet = true
				case 'S':
					headers = true
				case 'O', 'T':
					val := flags[j+1:]
					if val == "" {
						if i+1 >= len(args) {
							return fmt.Errorf("option -%c needs a value", flags[j])
						}
						i++
						val = args[i]
					}
					if flags[j] == 'O' {
						out = val
					} else {
						s, _ := strconv.Atoi(val)
						timeout = time.Duration(s) * time.Second
					}
					j = len(flags)
				default:
					return fmt.Errorf("unknown option -%c", flags[j])
				}
			}
		default:
			target = a
		}
	}
	if target == "" {
		return errors.New("usage: wget [-q] [-O FILE] [-T SEC] [--spider] URL")
	}
	if !strings.Contains(target, "://") {
		target = "http://" + target
	}
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(os.Stderr, "Connecting to %s\n", u.Host)
	}
	client := &http.Client{Timeout: timeout}
	method := http.MethodGet
	if spider {
		method = http.MethodHead
	}
	req, err := http.NewRequest(method, u.String(), nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("can't connect to remote host: %v", err)
	}
	defer resp.Body.Close()
	if headers {
		fmt.Fprintf(os.Stderr, "  %s %s\n", resp.Proto, resp.Status)
		for k, v := range resp.Header {
			fmt.Fprintf(os.Stderr, "  %s: %s\n", k, strings.Join(v, ", "))
		}
	}
	if resp.StatusCode >= 400 {
		return fmt.Errorf("server returned error: %s %s", resp.Proto, resp.Status)
	}
	if spider {
		if !quiet {
			fmt.Fprintln(os.Stderr, "remote file exists")
		}
		return nil
	}
	if out == "" {
		out = path.Base(u.Path)
		if out == "/" || out == "." || out == "" {
			out = "index.html"
		}
	}
	var w io.Writer = os.Stdout
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
		if !quiet {
			fmt.Fprintf(os.Stderr, "saving to '%s'\n", out)
		}
	}
	if _, err := io.Copy(w, resp.Body); err != nil {
		return err
	}
	if !quiet && out != "-" {
		fmt.Fprintf(os.Stderr, "'%s' saved\n", out)
	}
	return nil
}
