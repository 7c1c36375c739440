package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestRunLifecycle starts the server as main does, on a free loopback port, and stops it
// the way a signal would.
func TestRunLifecycle(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdoutR, stdoutW := io.Pipe()
	exit := make(chan int, 1)
	go func() {
		exit <- run(ctx, []string{"--addr", "127.0.0.1:0", "--read-states", "100", "--threads", "1"}, stdoutW, io.Discard)
		stdoutW.Close()
	}()

	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	url, ok := strings.CutPrefix(strings.TrimSuffix(line, "\n"), "listening on ")
	if !ok || !strings.HasPrefix(url, "http://127.0.0.1:") || strings.HasSuffix(url, ":0") {
		t.Fatalf("first line %q", line)
	}
	go io.Copy(io.Discard, stdoutR)

	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != `{"status":"ok"}` {
		t.Errorf("healthz: %d %s", resp.StatusCode, body)
	}

	cancel()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit code %d after shutdown, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no shutdown")
	}
	if _, err := net.Dial("tcp", strings.TrimPrefix(url, "http://")); err == nil {
		t.Error("still listening after shutdown")
	}
}

func TestRunExitCodes(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cases := []struct {
		name string
		args []string
		want int
	}{
		{"bad flag", []string{"--threads", "0"}, 2},
		{"unknown flag", []string{"--nope"}, 2},
		{"no host (would be every interface)", []string{"--addr", ":0", "--read-states", "0"}, 2},
		{"help", []string{"-h"}, 0},
		{"port in use", []string{"--addr", busy.Addr().String(), "--read-states", "0"}, 1},
	}
	for _, c := range cases {
		var stdout, stderr strings.Builder
		if got := run(context.Background(), c.args, &stdout, &stderr); got != c.want {
			t.Errorf("%s: exit %d, want %d (stderr %q)", c.name, got, c.want, stderr.String())
		}
		if c.want != 0 && (stderr.Len() == 0 || stdout.Len() != 0) {
			t.Errorf("%s: stdout %q, stderr %q", c.name, stdout.String(), stderr.String())
		}
	}
}
