// Command go-server is the Go reference server of the benchmark: the API of docs/API.md on
// net/http, standard library only, configured as a production service would be.
//
// Exit codes (docs/API.md, "Command line"): 0 after a graceful shutdown on SIGTERM or SIGINT,
// 1 when the server cannot listen or serve (a port in use), 2 for bad flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"
)

// shutdownGrace is how long in-flight requests may take to finish after a signal.
const shutdownGrace = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run starts the server and blocks until ctx is done (a signal) or serving fails.
// It returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	if cfg.threads > 0 {
		runtime.GOMAXPROCS(cfg.threads)
	}

	// The prefill happens before the listener opens, so that /healthz answering at all
	// means the read-state cache is full (docs/API.md).
	a, err := newApp(cfg.lru, cfg.readStates, time.Now())
	if err != nil { // parseFlags refused every capacity that newApp cannot hold
		fmt.Fprintf(stderr, "go-server: %v\n", err)
		return 2
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintf(stderr, "go-server: %v\n", err)
		return 1
	}
	// Tools read the port from this line. os.Stdout is not buffered in Go, so the line is
	// out as soon as Fprintf returns.
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	return serve(ctx, newHTTPServer(a.routes()), ln, stderr)
}

// newHTTPServer applies the contract's timeouts for slow clients (docs/API.md, "Responses
// in general") to handler, and serves HTTP/1.1 and HTTP/2 over cleartext with prior
// knowledge (h2c, RFC 9113 §3.3) on the same port, as rust-server does.
func newHTTPServer(handler http.Handler) *http.Server {
	return &http.Server{
		Protocols:         serverProtocols(),
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		// Without this, net/http answers "OPTIONS *" itself with an empty 200; the contract
		// has no such route, so it must get the JSON 404 like any unknown path.
		DisableGeneralOptionsHandler: true,
	}
}

// serverProtocols is HTTP/1.1 plus unencrypted HTTP/2 (Go 1.24+). net/http's HTTP/2
// defaults stay as shipped (250 concurrent streams per connection).
func serverProtocols() *http.Protocols {
	var p http.Protocols
	p.SetHTTP1(true)
	p.SetUnencryptedHTTP2(true)
	return &p
}

// serve runs srv on ln until ctx is done, then shuts down gracefully.
func serve(ctx context.Context, srv *http.Server, ln net.Listener, stderr io.Writer) int {
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		fmt.Fprintf(stderr, "go-server: %v\n", err)
		return 1
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Requests still running after the grace period are cut off. The contract asks
		// for exit 0 after a signal all the same; the message says what happened.
		fmt.Fprintf(stderr, "go-server: shutdown: %v\n", err)
	}
	return 0
}
