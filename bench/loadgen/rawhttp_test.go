// The raw client against hand-written answers, including what no server of the benches sends
// (chunk extensions, trailers, a body to the connection's end, a torn body). No go.mod, so:
//
//	go test bench/loadgen/main.go bench/loadgen/rawhttp.go bench/loadgen/rawhttp_test.go
package main

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serveScript answers each request on each connection with the next of answers, then closes.
func serveScript(t *testing.T, answers ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		next := 0
		for next < len(answers) {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			reader := bufio.NewReader(conn)
			for next < len(answers) {
				req, err := http.ReadRequest(reader)
				if err != nil {
					break
				}
				if req.Host == "" {
					conn.Close()
					return
				}
				answer := answers[next]
				next++
				conn.Write([]byte(answer))
				if strings.Contains(answer, "Connection: close") || strings.HasPrefix(answer, "HTTP/1.0") {
					break
				}
			}
			conn.Close()
		}
	}()
	return "http://" + ln.Addr().String()
}

func TestRawClientBodies(t *testing.T) {
	big := strings.Repeat("z", 300_000)
	cases := []struct {
		name, answer string
		want         int64
		chunked      bool
	}{
		{"content-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 5, false},
		{"large content-length", "HTTP/1.1 200 OK\r\ncontent-length: 300000\r\n\r\n" + big, 300_000, false},
		{"empty", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, false},
		{"chunked with extension and trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
			"5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n", 15, true},
		{"chunked large", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n493e0\r\n" + big + "\r\n0\r\n\r\n", 300_000, true},
		{"to the end", "HTTP/1.0 200 OK\r\n\r\n" + big, 300_000, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Twice on one keep-alive connection where the answer allows it.
			base := serveScript(t, tc.answer, tc.answer)
			c, err := newRawClient(base, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 2 {
				a, err := c.fetch("/x.zip")
				if err != nil {
					t.Fatalf("fetch %d: %v", i, err)
				}
				if a.status != 200 || a.bodyBytes != tc.want || a.chunked != tc.chunked {
					t.Fatalf("fetch %d: %+v, want 200, %d bytes, chunked %v", i, a, tc.want, tc.chunked)
				}
			}
		})
	}
}

func TestRawClientRejects(t *testing.T) {
	cases := []struct{ name, answer, wantErr string }{
		{"torn content-length", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nhello", "unexpected EOF"},
		{"torn chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n10\r\nhello", "unexpected EOF"},
		{"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"},
		{"chunk without CRLF", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n0\r\n\r\n", "CRLF"},
		{"two lengths", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", "Content-Length"},
		{"bad status line", "HTTP/1.1 2x0 OK\r\n\r\n", "bad status line"},
		{"gzip", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "Transfer-Encoding"},
		{"bytes after the answer", "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nab", "after the previous answer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := serveScript(t, tc.answer, tc.answer)
			c, err := newRawClient(base, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			var lastErr error
			for range 2 { // the extra bytes show on the second answer
				if _, lastErr = c.fetch("/x.zip"); lastErr != nil {
					break
				}
			}
			if lastErr == nil || !strings.Contains(lastErr.Error(), tc.wantErr) {
				t.Fatalf("got %v, want an error containing %q", lastErr, tc.wantErr)
			}
		})
	}
}

func TestFetchChecksStatusAndLength(t *testing.T) {
	base := serveScript(t,
		"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno!",
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
	c, err := newRawClient(base, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fetch(c, target{path: "/a.zip", size: 3}); err == nil || !strings.Contains(err.Error(), "status 404") {
		t.Fatalf("404: got %v", err)
	}
	if _, err := fetch(c, target{path: "/b.zip", size: 6}); err == nil || !strings.Contains(err.Error(), "5 bytes, want 6") {
		t.Fatalf("short: got %v", err)
	}
}
