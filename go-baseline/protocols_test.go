package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The server speaks HTTP/1.1 and h2c (prior knowledge) on one port, and answers pipelined
// HTTP/1.1 requests in order (README.md, "Protocols").

// h2cClient speaks only HTTP/2 over cleartext, with prior knowledge: no Upgrade, no TLS.
func h2cClient() *http.Client {
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{Protocols: &p},
	}
}

func TestHTTP2PriorKnowledge(t *testing.T) {
	addr, _ := startServer(t, 10)
	cases := []struct {
		name   string
		method string
		path   string
		body   string
		want   reply
	}{
		{"plaintext", "GET", "/plaintext", "", reply{200, ctText, "", "Hello, World!"}},
		{"json", "GET", "/json", "", jsonReply(200, `{"message":"Hello, World!"}`)},
		{"unknown path", "GET", "/nope", "", notFoundReply},
		{"method not allowed", "DELETE", "/plaintext", "", notAllowed("GET, HEAD")},
		{"bad user id", "GET", "/users/abc", "", errReply(400, "invalid id")},
	}
	client := h2cClient()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, "http://"+addr+c.path, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.ProtoMajor != 2 {
				t.Errorf("protocol %s, want HTTP/2", resp.Proto)
			}
			if got := replyOf(t, resp); got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestHTTP2PrefaceGetsSettingsFrame guards against a configuration that would serve h2 only after a
// TLS handshake: a cleartext HTTP/2 preface must get HTTP/2 frames back, not a 400.
func TestHTTP2PrefaceGetsSettingsFrame(t *testing.T) {
	addr, _ := startServer(t, 0)
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.WriteString(conn, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	header := make([]byte, 9) // an HTTP/2 frame header (RFC 9113 §4.1)
	if _, err := io.ReadFull(conn, header); err != nil {
		t.Fatal(err)
	}
	if frameType := header[3]; frameType != 0x4 {
		t.Errorf("first frame type %#x, want SETTINGS (0x4)", frameType)
	}
}

func TestPipelinedRequestsAnsweredInOrder(t *testing.T) {
	addr, _ := startServer(t, 10)
	cases := []struct {
		name  string
		paths []string
		want  []reply
	}{
		{"same route, depth 16", repeat("/plaintext", 16), repeatReply(reply{200, ctText, "", "Hello, World!"}, 16)},
		{"mixed routes", []string{"/json", "/nope", "/plaintext", "/users/abc"}, []reply{
			jsonReply(200, `{"message":"Hello, World!"}`),
			notFoundReply,
			{200, ctText, "", "Hello, World!"},
			errReply(400, "invalid id"),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			var batch strings.Builder
			for _, p := range c.paths {
				batch.WriteString("GET " + p + " HTTP/1.1\r\nHost: test\r\n\r\n")
			}
			// All requests in one write, before any answer is read.
			if _, err := io.WriteString(conn, batch.String()); err != nil {
				t.Fatal(err)
			}
			r := bufio.NewReader(conn)
			for i, want := range c.want {
				resp, err := http.ReadResponse(r, nil)
				if err != nil {
					t.Fatalf("response %d: %v", i, err)
				}
				if got := replyOf(t, resp); got != want {
					t.Errorf("response %d: got %+v, want %+v", i, got, want)
				}
			}
		})
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func repeatReply(r reply, n int) []reply {
	out := make([]reply, n)
	for i := range out {
		out[i] = r
	}
	return out
}
