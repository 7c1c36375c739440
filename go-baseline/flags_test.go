package main

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
)

func TestParseFlags(t *testing.T) {
	cl, pf := lruContainerList, lruPointerFree
	defaults := config{addr: "127.0.0.1:8081", threads: 0, readStates: 1_000_000, lru: cl}
	cases := []struct {
		args []string
		want config
		ok   bool
	}{
		{nil, defaults, true},
		{[]string{"--addr", "127.0.0.1:0"}, config{"127.0.0.1:0", 0, 1_000_000, cl}, true},
		{[]string{"--addr=[::1]:9000", "--threads=2", "--read-states=0"}, config{"[::1]:9000", 2, 0, cl}, true},
		{[]string{"-threads", "1", "-read-states", "5"}, config{"127.0.0.1:8081", 1, 5, cl}, true},
		{[]string{"--threads", "0"}, config{}, false},
		{[]string{"--threads", "-1"}, config{}, false},
		{[]string{"--threads", "two"}, config{}, false},
		{[]string{"--read-states", "-1"}, config{}, false},
		{[]string{"--read-states", "1e6"}, config{}, false},
		{[]string{"--addr", "localhost"}, config{}, false},
		{[]string{"--addr", "127.0.0.1:http"}, config{}, false},
		{[]string{"--addr", "127.0.0.1:70000"}, config{}, false},
		{[]string{"--addr", "not-an-address"}, config{}, false},
		{[]string{"--addr", "::1:80"}, config{}, false},
		{[]string{"--addr", ":0"}, config{}, false},
		{[]string{"--addr", ":8080"}, config{}, false},
		{[]string{"--addr", "[]:8080"}, config{}, false},
		{[]string{"--addr", "localhost:8080"}, config{"localhost:8080", 0, 1_000_000, cl}, true},
		{[]string{"--port", "1"}, config{}, false},
		{[]string{"extra"}, config{}, false},
		{[]string{"--threads"}, config{}, false},
		{[]string{"--read-states-lru", "pointer-free"}, config{"127.0.0.1:8081", 0, 1_000_000, pf}, true},
		{[]string{"--read-states-lru=container-list"}, defaults, true},
		{[]string{"--read-states-lru", "btree"}, config{}, false},
		{[]string{"--read-states-lru", "pointer-free", "--read-states", "2147483648"}, config{}, false},
	}
	for _, c := range cases {
		var stderr strings.Builder
		got, err := parseFlags(c.args, &stderr)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parseFlags(%q) = %+v, %v; want %+v, ok %v", c.args, got, err, c.want, c.ok)
		}
		if !c.ok && stderr.Len() == 0 {
			t.Errorf("parseFlags(%q): no message on stderr", c.args)
		}
	}
}

// An empty host would make net.Listen use every interface; it is a bad flag with a message
// saying what is missing (docs/API.md, "Command line").
func TestParseFlagsAddrNeedsAHost(t *testing.T) {
	for _, addr := range []string{":0", ":8080", "[]:8080"} {
		var stderr strings.Builder
		if _, err := parseFlags([]string{"--addr", addr}, &stderr); err == nil {
			t.Errorf("--addr %q accepted", addr)
		}
		if !strings.Contains(stderr.String(), "--addr needs a host") {
			t.Errorf("--addr %q: stderr %q does not say the host is missing", addr, stderr.String())
		}
	}
}

func TestParseFlagsHelp(t *testing.T) {
	if _, err := parseFlags([]string{"-h"}, io.Discard); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h gives %v, want flag.ErrHelp", err)
	}
}
