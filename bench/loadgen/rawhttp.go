// The load generator's light client (`-client raw`, the default): HTTP/1.1 GETs written and
// parsed here over one keep-alive TCP connection per worker, with every body discarded in the
// kernel. Why: net/http's client copies each body byte into user space (32 KiB reads) and runs
// its own goroutines per connection; on this 2-core machine it took most of a core, so the
// client, not the server under test, set the ceiling. recv(2) with MSG_TRUNC on a TCP socket
// drops the bytes without copying them (tcp(7)), so an answer costs a few syscalls, not its size.
// Only the head, chunk-size lines and chunk ends are copied, a few bytes per chunk.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"syscall"
	"time"
)

const (
	// rawMaxHead bounds an answer's status line and headers: a longer head is an error.
	rawMaxHead = 64 << 10
	// rawHeadRead: the first read of an answer takes the head and perhaps the body's start
	// (copied, then counted from the buffer). A chunk-size line is read with rawLineRead so
	// that little of the chunk's data behind it is copied.
	rawHeadRead = 4 << 10
	rawLineRead = 64
	// rawMaxDiscard caps one recv's length (its count is an int in the kernel).
	rawMaxDiscard = 1 << 30
)

// rawClient is one worker's connection; not safe for concurrent use.
type rawClient struct {
	addr    string // host:port to dial
	host    string // the Host header
	timeout time.Duration
	conn    *net.TCPConn
	raw     syscall.RawConn
	used    bool // the connection has carried a whole answer (a reused one may have been closed)
	buf     []byte
	r, w    int // buf[r:w]: read from the socket, not yet consumed
	req     []byte
}

func newRawClient(base string, timeout time.Duration) (*rawClient, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("raw client: base must be http://host:port, got %q", base)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return &rawClient{addr: addr, host: u.Host, timeout: timeout, buf: make([]byte, rawMaxHead)}, nil
}

// fetch GETs base+path and consumes the whole answer. Like net/http for an idempotent GET,
// it retries once on a fresh connection when a reused one ends before any byte of the answer
// (the server closed it while idle).
func (c *rawClient) fetch(path string) (answer, error) {
	for attempt := 0; ; attempt++ {
		reused := c.conn != nil && c.used
		a, gotAny, err := c.exchange(path)
		if err == nil {
			return a, nil
		}
		c.close()
		dropped := errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
		if attempt > 0 || !reused || gotAny || !dropped {
			return a, err
		}
	}
}

// exchange sends one GET and reads its answer; gotAny says whether any byte of it arrived.
func (c *rawClient) exchange(path string) (a answer, gotAny bool, err error) {
	if c.conn == nil {
		if err := c.dial(); err != nil {
			return a, false, err
		}
	}
	if err := c.conn.SetDeadline(time.Now().Add(c.timeout)); err != nil {
		return a, false, err
	}
	c.req = append(c.req[:0], "GET "...)
	c.req = append(c.req, path...)
	c.req = append(c.req, " HTTP/1.1\r\nHost: "...)
	c.req = append(c.req, c.host...)
	c.req = append(c.req, "\r\n\r\n"...)
	if _, err := c.conn.Write(c.req); err != nil {
		return a, false, err
	}
	head, err := c.readHead()
	a.status = head.status
	if err != nil {
		return a, head.gotAny, err
	}
	switch {
	case head.chunked:
		a.chunked = true
		a.bodyBytes, err = c.discardChunked()
	case head.length >= 0:
		a.bodyBytes = head.length
		err = c.discard(head.length)
	default:
		a.bodyBytes, err = c.discardToEOF()
		head.close = true
	}
	if err != nil {
		return a, true, err
	}
	c.used = true
	if head.close {
		c.close()
	}
	return a, true, nil
}

func (c *rawClient) dial() error {
	conn, err := net.DialTimeout("tcp", c.addr, c.timeout)
	if err != nil {
		return err
	}
	tcp := conn.(*net.TCPConn)
	raw, err := tcp.SyscallConn()
	if err != nil {
		conn.Close()
		return err
	}
	c.conn, c.raw, c.used, c.r, c.w = tcp, raw, false, 0, 0
	return nil
}

func (c *rawClient) close() {
	if c.conn != nil {
		c.conn.Close()
	}
	c.conn, c.raw, c.used, c.r, c.w = nil, nil, false, 0, 0
}

type rawHead struct {
	status  int
	length  int64 // Content-Length, -1 if none
	chunked bool
	close   bool
	gotAny  bool // any byte of the answer arrived
}

// readHead parses the status line and the headers this client needs (Content-Length,
// Transfer-Encoding, Connection); the others are skipped.
func (c *rawClient) readHead() (rawHead, error) {
	h := rawHead{length: -1}
	if c.r != c.w {
		return h, fmt.Errorf("%d bytes after the previous answer", c.w-c.r)
	}
	line, err := c.readLine(rawHeadRead)
	h.gotAny = c.w > 0
	if err != nil {
		return h, err
	}
	// "HTTP/1.1 200 OK"
	version, rest, ok := bytes.Cut(line, []byte(" "))
	if !ok || !bytes.HasPrefix(version, []byte("HTTP/1.")) || len(rest) < 3 {
		return h, fmt.Errorf("bad status line %q", line)
	}
	h.status, err = strconv.Atoi(string(rest[:3]))
	if err != nil || h.status < 100 || (len(rest) > 3 && rest[3] != ' ') {
		return h, fmt.Errorf("bad status line %q", line)
	}
	h.close = bytes.Equal(version, []byte("HTTP/1.0"))
	for {
		line, err := c.readLine(rawHeadRead)
		if err != nil {
			return h, err
		}
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return h, fmt.Errorf("bad header line %q", line)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			n, err := parseDecimal(value)
			if err != nil || (h.length >= 0 && h.length != n) {
				return h, fmt.Errorf("bad Content-Length %q", value)
			}
			h.length = n
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			if !bytes.EqualFold(value, []byte("chunked")) {
				return h, fmt.Errorf("unsupported Transfer-Encoding %q", value)
			}
			h.chunked = true
		case bytes.EqualFold(name, []byte("Connection")):
			for token := range bytes.SplitSeq(value, []byte(",")) {
				token = bytes.TrimSpace(token)
				if bytes.EqualFold(token, []byte("close")) {
					h.close = true
				} else if bytes.EqualFold(token, []byte("keep-alive")) {
					h.close = false
				}
			}
		}
	}
	if h.status != 200 && (h.status < 200 || h.status == 204 || h.status == 304) {
		// No body follows: the answer is an error anyway; the connection is dropped.
		return h, fmt.Errorf("status %d", h.status)
	}
	if h.chunked {
		h.length = -1 // RFC 9112 6.3: chunked wins over a Content-Length
	}
	return h, nil
}

// discardChunked consumes a chunked body (RFC 9112 7.1), returning the data's length.
func (c *rawClient) discardChunked() (int64, error) {
	var total int64
	for {
		line, err := c.readLine(rawLineRead)
		if err != nil {
			return total, err
		}
		sizeText, _, _ := bytes.Cut(line, []byte(";"))
		size, err := parseHex(bytes.TrimSpace(sizeText))
		if err != nil {
			return total, fmt.Errorf("bad chunk size line %q", line)
		}
		if size == 0 {
			for { // trailer fields up to the empty line
				line, err := c.readLine(rawLineRead)
				if err != nil {
					return total, err
				}
				if len(line) == 0 {
					return total, nil
				}
			}
		}
		if err := c.discard(size); err != nil {
			return total, err
		}
		total += size
		if line, err := c.readLine(rawLineRead); err != nil || len(line) != 0 {
			return total, errors.Join(err, errors.New("chunk not followed by CRLF"))
		}
	}
}

// discardToEOF consumes a body delimited by the connection's end.
func (c *rawClient) discardToEOF() (int64, error) {
	total := int64(c.w - c.r)
	c.r = c.w
	for {
		n, err := c.recvTrunc(rawMaxDiscard)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
		total += n
	}
}

// discard consumes n body bytes: first those already buffered, then in the kernel.
func (c *rawClient) discard(n int64) error {
	buffered := min(n, int64(c.w-c.r))
	c.r += int(buffered)
	n -= buffered
	for n > 0 {
		got, err := c.recvTrunc(min(n, rawMaxDiscard))
		if err == io.EOF {
			return io.ErrUnexpectedEOF
		}
		if err != nil {
			return err
		}
		n -= got
	}
	return nil
}

// recvTrunc drops up to max bytes queued on the socket without copying them, waiting in Go's
// poller (deadline included) while none are. The buffer pointer is NULL: with MSG_TRUNC a TCP
// socket writes nothing there, and if a kernel ever did, the call would fail with EFAULT
// rather than write anywhere.
func (c *rawClient) recvTrunc(max int64) (int64, error) {
	var got uintptr
	var errno syscall.Errno
	err := c.raw.Read(func(fd uintptr) bool {
		got, _, errno = syscall.Syscall6(syscall.SYS_RECVFROM, fd, 0, uintptr(max), syscall.MSG_TRUNC, 0, 0)
		return errno != syscall.EAGAIN
	})
	if err != nil {
		return 0, err
	}
	if errno != 0 {
		return 0, errno
	}
	if got == 0 {
		return 0, io.EOF
	}
	if int64(got) > max {
		return 0, fmt.Errorf("recv(MSG_TRUNC) dropped %d bytes, asked for %d", got, max)
	}
	return int64(got), nil
}

// readLine returns the next line without its CRLF, reading at most fill bytes per read.
func (c *rawClient) readLine(fill int) ([]byte, error) {
	for {
		if i := bytes.IndexByte(c.buf[c.r:c.w], '\n'); i >= 0 {
			line := c.buf[c.r : c.r+i]
			c.r += i + 1
			return bytes.TrimSuffix(line, []byte("\r")), nil
		}
		if c.r > 0 { // keep the partial line at the front
			c.w = copy(c.buf, c.buf[c.r:c.w])
			c.r = 0
		}
		if c.w == len(c.buf) {
			return nil, errors.New("answer head or line too long")
		}
		n, err := c.conn.Read(c.buf[c.w:min(len(c.buf), c.w+fill)])
		c.w += n
		if n == 0 {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
	}
}

func parseDecimal(b []byte) (int64, error) {
	if len(b) == 0 || len(b) > 18 {
		return 0, errors.New("bad number")
	}
	var n int64
	for _, d := range b {
		if d < '0' || d > '9' {
			return 0, errors.New("bad number")
		}
		n = n*10 + int64(d-'0')
	}
	return n, nil
}

func parseHex(b []byte) (int64, error) {
	if len(b) == 0 || len(b) > 15 {
		return 0, errors.New("bad hex number")
	}
	var n int64
	for _, d := range b {
		var v byte
		switch {
		case d >= '0' && d <= '9':
			v = d - '0'
		case d >= 'a' && d <= 'f':
			v = d - 'a' + 10
		case d >= 'A' && d <= 'F':
			v = d - 'A' + 10
		default:
			return 0, errors.New("bad hex number")
		}
		n = n<<4 | int64(v)
	}
	return n, nil
}
