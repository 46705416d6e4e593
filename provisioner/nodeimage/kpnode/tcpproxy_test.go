package main

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
)

// fakeRedis answers every command with +<name>:<command>, so a test sees which server took it.
func fakeRedis(t *testing.T, name string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					_, args, err := readRESP(r)
					if err != nil {
						return
					}
					fmt.Fprintf(c, "+%s:%s\r\n", name, strings.ToUpper(args[0]))
				}
			}(c)
		}
	}()
	return ln.Addr().String()
}

func TestRedisAmbassadorSplitsReadsAndWrites(t *testing.T) {
	master, replica := fakeRedis(t, "master"), fakeRedis(t, "replica")
	p := &redisProxy{master: master, replicas: []string{replica}}
	client, server := net.Pipe()
	go p.serve(server)
	defer client.Close()
	r := bufio.NewReader(client)
	send := func(args ...string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
		if _, err := client.Write([]byte(b.String())); err != nil {
			t.Fatal(err)
		}
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(line)
	}
	if got := send("SET", "k", "v"); got != "+master:SET" {
		t.Errorf("SET went to %q", got)
	}
	if got := send("get", "k"); got != "+replica:GET" {
		t.Errorf("GET went to %q", got)
	}
	if got := send("INCR", "n"); got != "+master:INCR" {
		t.Errorf("INCR went to %q", got)
	}
}

func TestReadRESP(t *testing.T) {
	in := "*2\r\n$3\r\nGET\r\n$5\r\nhello\r\n$-1\r\n:42\r\nPING\r\n"
	r := bufio.NewReader(strings.NewReader(in))
	raw, args, err := readRESP(r)
	if err != nil || strings.Join(args, " ") != "GET hello" || string(raw) != "*2\r\n$3\r\nGET\r\n$5\r\nhello\r\n" {
		t.Fatalf("array: %q %v %v", raw, args, err)
	}
	if raw, _, err := readRESP(r); err != nil || string(raw) != "$-1\r\n" {
		t.Fatalf("nil bulk: %q %v", raw, err)
	}
	if raw, _, err := readRESP(r); err != nil || string(raw) != ":42\r\n" {
		t.Fatalf("integer: %q %v", raw, err)
	}
	if _, args, err := readRESP(r); err != nil || args[0] != "PING" {
		t.Fatalf("inline: %v %v", args, err)
	}
}
