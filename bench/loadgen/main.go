// loadgen: the engine benchmarks' HTTP load generator and baseline file server, standard
// library only, so it builds without a go.mod: go build -o loadgen bench/loadgen/*.go
//
//	loadgen load  -base URL -paths FILE -c 32 -duration 10s [-seed 1] [-client raw|http]
//	    GETs paths chosen uniformly at random by c workers over keep-alive connections for
//	    the duration; every answer must be 200 with the expected length. Prints one JSON line:
//	    requests, errors, bytes, seconds, rps, p50Ms, p90Ms, p99Ms, maxMs, cpuSeconds (its own).
//	    -client raw (default, rawhttp.go): one connection per worker, the HTTP/1.1 exchange
//	    written and parsed here, bodies discarded in the kernel (recv with MSG_TRUNC), so the
//	    client costs little CPU beside the server under test. -client http: Go's net/http
//	    client reading every body into user space (the generator before stop 22).
//	loadgen each  -base URL -paths FILE -c 32 [-client raw|http]
//	    GETs every path once (warming a server); prints the same JSON line. Fails on any error.
//	loadgen serve -root DIR -ready FILE [-copy]
//	    Serves DIR (a store in the GOPROXY layout) on a free 127.0.0.1 port and writes its URL
//	    to the ready file. By default as a plain Go disk file server does (Content-Length, and
//	    the kernel's sendfile through http.ResponseWriter's ReadFrom): the ceiling for a Go
//	    proxy serving blobs from disk. With -copy, the way Athens's zip handler serves a hit
//	    (pkg/download/version_zip.go: io.Copy of the stored file into a ResponseWriter wrapped
//	    by middleware, so no sendfile, 32 KiB user-space copies, no Content-Length, chunked):
//	    a stand-in for Athens where it cannot be installed, without Athens's other work.
//
// The paths file holds one "<path> <size>" a line (size -1: not checked).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

type target struct {
	path string
	size int64
}

type result struct {
	Requests int    `json:"requests"`
	Errors   int    `json:"errors"`
	FirstErr string `json:"firstError,omitempty"`
	Bytes    int64  `json:"bytes"`
	// Chunked: answers whose body came chunked (Athens's do), the rest had a Content-Length.
	Chunked   int     `json:"chunked"`
	Seconds   float64 `json:"seconds"`
	Rps       float64 `json:"rps"`
	MiBPerSec float64 `json:"mibPerSec"`
	P50Ms     float64 `json:"p50Ms"`
	P90Ms     float64 `json:"p90Ms"`
	P99Ms     float64 `json:"p99Ms"`
	MaxMs     float64 `json:"maxMs"`
	// CPUSeconds: user + system CPU the load generator itself used (getrusage), so a bench
	// can say how much of the 2 cores the client took from the server under test.
	CPUSeconds float64 `json:"cpuSeconds"`
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: loadgen load|each|serve [flags] (see the comment at the top of main.go)")
	}
	mode, args := os.Args[1], os.Args[2:]
	flags := flag.NewFlagSet(mode, flag.ExitOnError)
	base := flags.String("base", "", "server base URL, e.g. http://127.0.0.1:8080")
	pathsFile := flags.String("paths", "", "file of '<path> <size>' lines")
	concurrency := flags.Int("c", 32, "concurrent workers (one keep-alive connection each)")
	duration := flags.Duration("duration", 10*time.Second, "how long to send requests (load)")
	seed := flags.Uint64("seed", 1, "random seed for the uniform choice of paths (load)")
	root := flags.String("root", "", "directory to serve (serve)")
	ready := flags.String("ready", "", "file to write the URL to when listening (serve)")
	copyMode := flags.Bool("copy", false, "serve through io.Copy into a wrapped writer, chunked (serve)")
	clientKind := flags.String("client", "raw", "raw (bodies discarded in the kernel) or http (net/http) (load, each)")
	_ = flags.Parse(args)

	switch mode {
	case "load", "each":
		if *base == "" || *pathsFile == "" {
			fail("load/each need -base URL and -paths FILE")
		}
		if *concurrency < 1 || *concurrency > 1024 {
			fail("-c must be between 1 and 1024")
		}
		if *duration <= 0 || *duration > 10*time.Minute {
			fail("-duration must be positive and at most 10m")
		}
		targets := readTargets(*pathsFile)
		fetchers := newFetchers(*clientKind, strings.TrimRight(*base, "/"), *concurrency)
		var r result
		if mode == "load" {
			r = runLoad(fetchers, targets, *duration, *seed)
		} else {
			r = runEach(fetchers, targets)
		}
		out, _ := json.Marshal(r)
		fmt.Println(string(out))
		if mode == "each" && r.Errors > 0 {
			os.Exit(1)
		}
	case "serve":
		if *root == "" || *ready == "" {
			fail("serve needs -root DIR and -ready FILE")
		}
		serve(*root, *ready, *copyMode)
	default:
		fail("unknown mode " + strconv.Quote(mode) + ": use load, each or serve")
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "loadgen: "+msg)
	os.Exit(2)
}

func readTargets(file string) []target {
	f, err := os.Open(file)
	if err != nil {
		fail(err.Error())
	}
	defer f.Close()
	var targets []target
	scanner := bufio.NewScanner(f)
	for scanner.Scan() {
		fields := strings.Fields(scanner.Text())
		if len(fields) == 0 {
			continue
		}
		size := int64(-1)
		if len(fields) > 1 {
			size, err = strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				fail("bad size in paths file: " + scanner.Text())
			}
		}
		targets = append(targets, target{path: fields[0], size: size})
	}
	if len(targets) == 0 {
		fail("no paths in " + file)
	}
	return targets
}

// requestTimeout bounds one request, connection and whole body included.
const requestTimeout = 30 * time.Second

// fetcher GETs one path on behalf of one worker and reads the whole answer.
type fetcher interface {
	fetch(path string) (answer, error)
}

type answer struct {
	bodyBytes int64
	status    int
	chunked   bool
}

// newFetchers makes one fetcher per worker: raw clients own one connection each; the http
// ones share one net/http client (its pool keeps one connection per busy worker).
func newFetchers(kind, base string, concurrency int) []fetcher {
	fetchers := make([]fetcher, concurrency)
	switch kind {
	case "raw":
		for i := range fetchers {
			c, err := newRawClient(base, requestTimeout)
			if err != nil {
				fail(err.Error())
			}
			fetchers[i] = c
		}
	case "http":
		transport := &http.Transport{
			MaxIdleConns:        concurrency * 2,
			MaxIdleConnsPerHost: concurrency * 2,
			DisableCompression:  true,
			IdleConnTimeout:     60 * time.Second,
		}
		client := &http.Client{Transport: transport, Timeout: requestTimeout}
		for i := range fetchers {
			fetchers[i] = httpFetcher{client: client, base: base}
		}
	default:
		fail("-client must be raw or http, not " + strconv.Quote(kind))
	}
	return fetchers
}

type httpFetcher struct {
	client *http.Client
	base   string
}

func (f httpFetcher) fetch(path string) (answer, error) {
	resp, err := f.client.Get(f.base + path)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	return answer{bodyBytes: n, status: resp.StatusCode, chunked: slices.Contains(resp.TransferEncoding, "chunked")}, err
}

// fetch GETs one target and checks status and length.
func fetch(f fetcher, t target) (answer, error) {
	a, err := f.fetch(t.path)
	if err != nil {
		return a, fmt.Errorf("%s: %w", t.path, err)
	}
	if a.status != http.StatusOK {
		return a, fmt.Errorf("%s: status %d", t.path, a.status)
	}
	if t.size >= 0 && a.bodyBytes != t.size {
		return a, fmt.Errorf("%s: %d bytes, want %d", t.path, a.bodyBytes, t.size)
	}
	return a, nil
}

type worker struct {
	latencies []time.Duration
	bytes     int64
	chunked   int
	errors    int
	firstErr  error
}

func (w *worker) record(started time.Time, a answer, err error) {
	w.latencies = append(w.latencies, time.Since(started))
	w.bytes += a.bodyBytes
	if a.chunked {
		w.chunked++
	}
	if err != nil {
		w.errors++
		if w.firstErr == nil {
			w.firstErr = err
		}
	}
}

func runLoad(fetchers []fetcher, targets []target, duration time.Duration, seed uint64) result {
	workers := make([]*worker, len(fetchers))
	var wg sync.WaitGroup
	started := time.Now()
	deadline := started.Add(duration)
	for i := range workers {
		w, f := &worker{}, fetchers[i]
		workers[i] = w
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		wg.Go(func() {
			for time.Now().Before(deadline) {
				t := targets[rng.IntN(len(targets))]
				at := time.Now()
				a, err := fetch(f, t)
				w.record(at, a, err)
			}
		})
	}
	wg.Wait()
	return summarize(workers, time.Since(started))
}

func runEach(fetchers []fetcher, targets []target) result {
	workers := make([]*worker, len(fetchers))
	next := make(chan target)
	var wg sync.WaitGroup
	started := time.Now()
	for i := range workers {
		w, f := &worker{}, fetchers[i]
		workers[i] = w
		wg.Go(func() {
			for t := range next {
				at := time.Now()
				a, err := fetch(f, t)
				w.record(at, a, err)
			}
		})
	}
	for _, t := range targets {
		next <- t
	}
	close(next)
	wg.Wait()
	return summarize(workers, time.Since(started))
}

func summarize(workers []*worker, elapsed time.Duration) result {
	var all []time.Duration
	var r result
	for _, w := range workers {
		all = append(all, w.latencies...)
		r.Bytes += w.bytes
		r.Chunked += w.chunked
		r.Errors += w.errors
		if w.firstErr != nil && r.FirstErr == "" {
			r.FirstErr = w.firstErr.Error()
		}
	}
	slices.Sort(all)
	r.Requests = len(all)
	r.Seconds = elapsed.Seconds()
	r.Rps = float64(r.Requests) / r.Seconds
	r.MiBPerSec = float64(r.Bytes) / r.Seconds / (1 << 20)
	r.P50Ms = percentileMs(all, 0.50)
	r.P90Ms = percentileMs(all, 0.90)
	r.P99Ms = percentileMs(all, 0.99)
	r.MaxMs = percentileMs(all, 1)
	var usage syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &usage) == nil {
		r.CPUSeconds = time.Duration(usage.Utime.Nano() + usage.Stime.Nano()).Seconds()
	}
	return r
}

// percentileMs is the nearest-rank percentile of sorted latencies, in milliseconds.
func percentileMs(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p*float64(len(sorted))+0.999999) - 1
	rank = max(0, min(rank, len(sorted)-1))
	return float64(sorted[rank].Microseconds()) / 1000
}

// serve is the baseline: a disk file server over the store, with the GOPROXY protocol's
// content types and no directory listings (a missing file is 404, as for a module proxy).
func serve(root, readyFile string, copyMode bool) {
	abs, err := filepath.Abs(root)
	if err != nil {
		fail(err.Error())
	}
	fs := http.Dir(abs)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "GET only", http.StatusMethodNotAllowed)
			return
		}
		f, err := fs.Open(r.URL.Path)
		if err != nil {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil || info.IsDir() {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		switch {
		case strings.HasSuffix(r.URL.Path, ".zip"):
			w.Header().Set("Content-Type", "application/zip")
		case strings.HasSuffix(r.URL.Path, ".info"):
			w.Header().Set("Content-Type", "application/json")
		default:
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		}
		if copyMode {
			// Hide both fast paths (the file's WriteTo, the writer's ReadFrom), as wrappers do.
			_, _ = io.Copy(writerOnly{w}, readerOnly{f})
			return
		}
		w.Header().Set("Content-Length", strconv.FormatInt(info.Size(), 10))
		if r.Method == http.MethodHead {
			return
		}
		_, _ = io.Copy(w, f)
	})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err.Error())
	}
	url := "http://" + listener.Addr().String()
	tmp := readyFile + ".tmp"
	if err := os.WriteFile(tmp, []byte(url+"\n"), 0o600); err != nil {
		fail(err.Error())
	}
	if err := os.Rename(tmp, readyFile); err != nil {
		fail(err.Error())
	}
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	if err := server.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fail(err.Error())
	}
}

type writerOnly struct{ w io.Writer }

func (o writerOnly) Write(p []byte) (int, error) { return o.w.Write(p) }

type readerOnly struct{ r io.Reader }

func (o readerOnly) Read(p []byte) (int, error) { return o.r.Read(p) }
