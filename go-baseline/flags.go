package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"strconv"
)

// config is the validated command line (docs/API.md, "Command line").
type config struct {
	addr       string
	threads    int     // GOMAXPROCS; 0 keeps Go's default, the CPUs of the affinity mask
	readStates int     // entries prefilled at start-up; also sets the cache capacity
	lru        lruKind // the read-state cache's implementation (the tuned variant's switch)
}

// parseFlags parses and validates args. On error the flag package (or parseFlags) has
// already written a message and the usage to stderr.
func parseFlags(args []string, stderr io.Writer) (config, error) {
	cfg := config{addr: "127.0.0.1:8081", readStates: 1_000_000, lru: lruContainerList}

	fs := flag.NewFlagSet("go-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.addr, "addr", cfg.addr, "listen address `HOST:PORT`")
	fs.Var(intFlag{&cfg.threads, 1}, "threads", "GOMAXPROCS, `N` >= 1 (default: the CPUs the process may run on)")
	fs.Var(intFlag{&cfg.readStates, 0}, "read-states", "read-state entries prefilled at start-up, `N` >= 0; the cache holds max(N, 10000)")
	fs.Func("read-states-lru", fmt.Sprintf("read-state cache: %q (as shipped, the default) or %q (tuned: no pointers for the GC to scan)", lruContainerList, lruPointerFree), func(s string) error {
		for _, kind := range lruKinds {
			if s == string(kind) {
				cfg.lru = kind
				return nil
			}
		}
		return fmt.Errorf("want one of %v", lruKinds)
	})
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}

	var err error
	if fs.NArg() > 0 {
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	} else if host, port, splitErr := net.SplitHostPort(cfg.addr); splitErr != nil {
		err = fmt.Errorf("invalid value %q for flag -addr: %v", cfg.addr, splitErr)
	} else if _, portErr := strconv.ParseUint(port, 10, 16); portErr != nil {
		err = fmt.Errorf("invalid value %q for flag -addr: bad port", cfg.addr)
	} else if host == "" {
		// net.Listen takes an empty host as every interface; a benchmark server must not
		// listen there by accident, so docs/API.md makes it a bad flag (as in rust-server).
		err = fmt.Errorf("invalid value %q for flag -addr: --addr needs a host, e.g. 127.0.0.1:8080", cfg.addr)
	} else if cfg.lru == lruPointerFree && max(cfg.readStates, minReadStateCapacity) > math.MaxInt32 {
		// Its slots are int32 indexes (readstates_flat.go).
		err = fmt.Errorf("--read-states %d is more than the pointer-free cache holds (%d)", cfg.readStates, math.MaxInt32)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		fs.Usage()
		return config{}, err
	}
	return cfg, nil
}

// intFlag is an integer flag with a lower bound, checked while parsing so that the flag
// package reports a bad value like any other.
type intFlag struct {
	value *int
	min   int
}

func (f intFlag) String() string {
	if f.value == nil { // the zero value, which the flag package makes to print defaults
		return "0"
	}
	return strconv.Itoa(*f.value)
}

func (f intFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("not an integer")
	}
	if n < f.min {
		return fmt.Errorf("must be >= %d", f.min)
	}
	*f.value = n
	return nil
}
