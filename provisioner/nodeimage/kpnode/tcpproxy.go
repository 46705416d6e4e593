package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// runTCPProxy is the ambassador lesson's proxy. The application talks to localhost; the proxy in the
// same pod forwards:
//
//	tcpproxy --listen :6379 --to redis:6379                       plain TCP, round robin over --to
//	tcpproxy --listen :6379 --redis --write master:6379 --read r1:6379,r2:6379
//	                                                              Redis-aware: each command goes to
//	                                                              the master or, if it only reads, to a replica
func runTCPProxy(args []string) error {
	fs := flag.NewFlagSet("tcpproxy", flag.ContinueOnError)
	listen := fs.String("listen", envOr("LISTEN", ":6379"), "listen address")
	to := fs.String("to", os.Getenv("PROXY_TO"), "upstreams for plain TCP, comma separated")
	redisMode := fs.Bool("redis", envOr("PROXY_REDIS", "") != "", "route Redis commands: writes to --write, reads to --read")
	write := fs.String("write", os.Getenv("PROXY_WRITE"), "Redis master host:port")
	read := fs.String("read", os.Getenv("PROXY_READ"), "Redis replicas host:port, comma separated (default: the master)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	var handle func(net.Conn)
	if *redisMode {
		if *write == "" {
			return errors.New("--redis needs --write")
		}
		reads := splitList(*read)
		if len(reads) == 0 {
			reads = []string{*write}
		}
		log.Printf("tcpproxy: %s -> writes to %s, reads to %v", *listen, *write, reads)
		rp := &redisProxy{master: *write, replicas: reads}
		handle = rp.serve
	} else {
		ups := splitList(*to)
		if len(ups) == 0 {
			return errors.New("give --to HOST:PORT[,HOST:PORT] or --redis")
		}
		log.Printf("tcpproxy: %s -> %v", *listen, ups)
		var next atomic.Uint64
		handle = func(c net.Conn) {
			up := ups[int(next.Add(1)-1)%len(ups)]
			pipeTCP(c, up)
		}
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go handle(c)
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func pipeTCP(c net.Conn, up string) {
	defer c.Close()
	u, err := net.DialTimeout("tcp", up, 5*time.Second)
	if err != nil {
		log.Printf("tcpproxy: %s: %v", up, err)
		return
	}
	defer u.Close()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(u, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, u); done <- struct{}{} }()
	<-done
}

// readCommands are the Redis commands that never write; everything else goes to the master.
var readCommands = map[string]bool{
	"GET": true, "MGET": true, "EXISTS": true, "KEYS": true, "SCAN": true, "TTL": true, "PTTL": true,
	"TYPE": true, "STRLEN": true, "GETRANGE": true, "HGET": true, "HMGET": true, "HGETALL": true,
	"HKEYS": true, "HVALS": true, "HLEN": true, "HEXISTS": true, "LRANGE": true, "LLEN": true,
	"LINDEX": true, "SMEMBERS": true, "SISMEMBER": true, "SCARD": true, "ZRANGE": true, "ZCARD": true,
	"ZSCORE": true, "ZRANK": true, "DBSIZE": true, "RANDOMKEY": true, "ECHO": true, "PING": true,
}

type redisProxy struct {
	master   string
	replicas []string
	next     atomic.Uint64
}

func (p *redisProxy) serve(c net.Conn) {
	defer c.Close()
	client := bufio.NewReader(c)
	conns := map[string]*bufio.ReadWriter{}
	defer func() {
		for _, rw := range conns {
			_ = rw.Flush()
		}
	}()
	var closers []net.Conn
	defer func() {
		for _, u := range closers {
			u.Close()
		}
	}()
	// Each client keeps one replica for its whole connection, so that its reads are consistent.
	replica := p.replicas[int(p.next.Add(1)-1)%len(p.replicas)]
	for {
		raw, args, err := readRESP(client)
		if err != nil {
			return
		}
		name := ""
		if len(args) > 0 {
			name = strings.ToUpper(args[0])
		}
		up := p.master
		if readCommands[name] {
			up = replica
		}
		rw, ok := conns[up]
		if !ok {
			u, err := net.DialTimeout("tcp", up, 5*time.Second)
			if err != nil {
				fmt.Fprintf(c, "-ERR ambassador cannot reach %s: %v\r\n", up, err)
				continue
			}
			closers = append(closers, u)
			rw = bufio.NewReadWriter(bufio.NewReader(u), bufio.NewWriter(u))
			conns[up] = rw
		}
		log.Printf("tcpproxy: %s -> %s", name, up)
		if _, err := rw.Write(raw); err != nil || rw.Flush() != nil {
			return
		}
		reply, _, err := readRESP(rw.Reader)
		if err != nil {
			return
		}
		if _, err := c.Write(reply); err != nil {
			return
		}
	}
}

// readRESP reads one Redis protocol value and returns its raw bytes and, for an array of bulk
// strings (a command), its elements. Inline commands ("PING\r\n") are accepted too.
func readRESP(r *bufio.Reader) (raw []byte, args []string, err error) {
	line, err := r.ReadBytes('\n')
	if err != nil {
		return nil, nil, err
	}
	raw = append(raw, line...)
	body := strings.TrimRight(string(line), "\r\n")
	if body == "" {
		return raw, nil, nil
	}
	switch body[0] {
	case '+', '-', ':':
		return raw, nil, nil
	case '$':
		n, err := strconv.Atoi(body[1:])
		if err != nil {
			return nil, nil, err
		}
		if n < 0 {
			return raw, nil, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, nil, err
		}
		return append(raw, buf...), []string{string(buf[:n])}, nil
	case '*':
		n, err := strconv.Atoi(body[1:])
		if err != nil {
			return nil, nil, err
		}
		for i := 0; i < n; i++ {
			sub, subArgs, err := readRESP(r)
			if err != nil {
				return nil, nil, err
			}
			raw = append(raw, sub...)
			args = append(args, subArgs...)
		}
		return raw, args, nil
	default:
		return raw, strings.Fields(body), nil
	}
}
