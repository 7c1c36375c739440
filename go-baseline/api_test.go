package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The contract's cases (docs/API.md), sent as raw HTTP/1.1 to the real handler behind the
// real http.Server configuration on a loopback port. Raw, because http.Client would
// normalise some of the paths under test.

const (
	ctJSON = "application/json"
	ctText = "text/plain; charset=utf-8"

	testStartedMS = 1764000000000 // the prefill's updated_at_ms in these tests
	testNowMS     = 1764000000123 // the fixed clock: updated_at_ms of every PUT
)

type reply struct {
	status      int
	contentType string
	allow       string
	body        string
}

type apiCase struct {
	name   string
	method string
	target string
	body   string
	raw    string // a whole request to send instead of method, target and body
	want   reply
}

func jsonReply(status int, body string) reply { return reply{status, ctJSON, "", body} }

func errReply(status int, message string) reply {
	return jsonReply(status, `{"error":"`+message+`"}`)
}

func notAllowed(allow string) reply {
	return reply{http.StatusMethodNotAllowed, ctJSON, allow, `{"error":"method not allowed"}`}
}

var notFoundReply = errReply(404, "not found")

// startServer serves a fresh app with readStates prefilled entries and a fixed clock.
func startServer(t *testing.T, readStates int) (addr string, a *app) {
	t.Helper()
	return startServerWith(t, lruContainerList, readStates)
}

// startServerWith is startServer with a read-state cache of the given kind.
func startServerWith(t *testing.T, kind lruKind, readStates int) (addr string, a *app) {
	t.Helper()
	a, err := newApp(kind, readStates, time.UnixMilli(testStartedMS))
	if err != nil {
		t.Fatal(err)
	}
	a.now = func() time.Time { return time.UnixMilli(testNowMS) }
	ts := httptest.NewUnstartedServer(nil)
	ts.Config = newHTTPServer(a.routes())
	ts.Start()
	t.Cleanup(ts.Close)
	return ts.Listener.Addr().String(), a
}

func (c apiCase) request() string {
	if c.raw != "" {
		return c.raw
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n", c.method, c.target)
	if c.body != "" || c.method == http.MethodPost || c.method == http.MethodPut {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(c.body))
	}
	b.WriteString("\r\n")
	b.WriteString(c.body)
	return b.String()
}

// send writes request to addr and reads the reply; method tells a HEAD reply apart.
func send(t *testing.T, addr, method, request string) (reply, http.Header) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, request); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	return replyOf(t, resp), resp.Header
}

// replyOf reads and closes resp's body and reduces resp to what the contract compares.
func replyOf(t *testing.T, resp *http.Response) reply {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Allow"), string(body)}
}

// runCases runs cases in order against addr; later cases may rely on earlier ones.
func runCases(t *testing.T, addr string, cases []apiCase) {
	t.Helper()
	for _, c := range cases {
		method := c.method
		if c.raw != "" {
			method, _, _ = strings.Cut(c.raw, " ")
		}
		got, _ := send(t, addr, method, c.request())
		if got != c.want {
			t.Errorf("%s: %s %s\n got %+v\nwant %+v", c.name, method, c.target, got, c.want)
		}
	}
}

func TestBasicRoutes(t *testing.T) {
	addr, _ := startServer(t, 0)
	runCases(t, addr, []apiCase{
		{name: "plaintext", method: "GET", target: "/plaintext", want: reply{200, ctText, "", "Hello, World!"}},
		{name: "json", method: "GET", target: "/json", want: jsonReply(200, `{"message":"Hello, World!"}`)},
		{name: "healthz", method: "GET", target: "/healthz", want: jsonReply(200, `{"status":"ok"}`)},
		{name: "query ignored", method: "GET", target: "/plaintext?x=1&y", want: reply{200, ctText, "", "Hello, World!"}},
		{name: "absolute form", method: "GET", target: "http://test/json", want: jsonReply(200, `{"message":"Hello, World!"}`)},
		{name: "body ignored on GET", method: "GET", target: "/healthz", body: "junk", want: jsonReply(200, `{"status":"ok"}`)},
		{name: "HEAD plaintext", method: "HEAD", target: "/plaintext", want: reply{200, ctText, "", ""}},
		{name: "HEAD json", method: "HEAD", target: "/json", want: reply{200, ctJSON, "", ""}},
		{name: "HEAD healthz", method: "HEAD", target: "/healthz", want: reply{200, ctJSON, "", ""}},
		{name: "HEAD users", method: "HEAD", target: "/users", want: reply{200, ctJSON, "", ""}},
		{name: "HEAD missing user", method: "HEAD", target: "/users/1", want: reply{404, ctJSON, "", ""}},
		{name: "HEAD unknown path", method: "HEAD", target: "/nope", want: reply{404, ctJSON, "", ""}},
	})
}

func TestMethodNotAllowed(t *testing.T) {
	addr, _ := startServer(t, 0)
	runCases(t, addr, []apiCase{
		{name: "POST plaintext", method: "POST", target: "/plaintext", want: notAllowed("GET, HEAD")},
		{name: "DELETE json", method: "DELETE", target: "/json", want: notAllowed("GET, HEAD")},
		{name: "PUT healthz", method: "PUT", target: "/healthz", want: notAllowed("GET, HEAD")},
		{name: "POST stats", method: "POST", target: "/debug/stats", want: notAllowed("GET, HEAD")},
		{name: "OPTIONS users", method: "OPTIONS", target: "/users", want: notAllowed("GET, HEAD, POST")},
		{name: "PUT users", method: "PUT", target: "/users", want: notAllowed("GET, HEAD, POST")},
		{name: "DELETE user", method: "DELETE", target: "/users/1", want: notAllowed("GET, HEAD")},
		{name: "POST user", method: "POST", target: "/users/1", want: notAllowed("GET, HEAD")},
		{name: "method before id check", method: "PATCH", target: "/users/abc", want: notAllowed("GET, HEAD")},
		{name: "POST read state", method: "POST", target: "/read_states/1/2", want: notAllowed("GET, HEAD, PUT")},
		{name: "DELETE read state", method: "DELETE", target: "/read_states/x/y", want: notAllowed("GET, HEAD, PUT")},
		{name: "methods are case-sensitive", method: "get", target: "/plaintext", want: notAllowed("GET, HEAD")},
		{name: "extension method", method: "PURGE", target: "/json", want: notAllowed("GET, HEAD")},
	})
}

func TestUnknownPaths(t *testing.T) {
	addr, _ := startServer(t, 0)
	var cases []apiCase
	for _, target := range []string{
		"/", "/nope", "/plaintext/", "/users/", "//users", "/users//1", "//plaintext",
		"/./plaintext", "/users/./1", "/users/../plaintext", "/users/1/..", "/users/.",
		"/plain%74ext", "/users%2F1", "/%2e/plaintext", "/Plaintext", "/users/1/2",
		"/read_states/1", "/read_states/1/2/", "/read_states/1/2/3", "/debug", "/debug/stats/",
	} {
		cases = append(cases,
			apiCase{name: "GET " + target, method: "GET", target: target, want: notFoundReply},
			apiCase{name: "POST " + target, method: "POST", target: target, want: notFoundReply},
		)
	}
	cases = append(cases, apiCase{name: "OPTIONS *", method: "OPTIONS", target: "*", want: notFoundReply})
	runCases(t, addr, cases)
}

func TestUserIDs(t *testing.T) {
	addr, _ := startServer(t, 0)
	cases := []apiCase{
		{name: "create", method: "POST", target: "/users", body: `{"name":"Ada","email":"ada@example.com"}`,
			want: jsonReply(201, `{"id":1,"name":"Ada","email":"ada@example.com"}`)},
		{name: "get", method: "GET", target: "/users/1", want: jsonReply(200, `{"id":1,"name":"Ada","email":"ada@example.com"}`)},
		{name: "query ignored", method: "GET", target: "/users/1?x=y", want: jsonReply(200, `{"id":1,"name":"Ada","email":"ada@example.com"}`)},
		{name: "next", method: "GET", target: "/users/2", want: errReply(404, "user not found")},
		{name: "zero", method: "GET", target: "/users/0", want: errReply(404, "user not found")},
		{name: "u64 max", method: "GET", target: "/users/18446744073709551615", want: errReply(404, "user not found")},
	}
	for _, id := range []string{
		"18446744073709551616", "99999999999999999999999", "01", "00", "+1", "-1", "1a", "a", "0x1",
		"1.0", "1e3", "%31", "%2B1", "1%2F2", "%2e", "...", "%20", "1%00", "%C2%B9", "¹",
	} {
		cases = append(cases, apiCase{name: "invalid " + id, method: "GET", target: "/users/" + id, want: errReply(400, "invalid id")})
	}
	runCases(t, addr, cases)
}

func TestCreateUser(t *testing.T) {
	addr, _ := startServer(t, 0)
	post := func(name, body string, want reply) apiCase {
		return apiCase{name: name, method: "POST", target: "/users", body: body, want: want}
	}
	runCases(t, addr, []apiCase{
		// Step 1: malformed.
		post("empty", "", errReply(400, "malformed json")),
		post("whitespace only", " \n\t ", errReply(400, "malformed json")),
		post("syntax error", `{"name":"a",}`, errReply(400, "malformed json")),
		post("unclosed", `{`, errReply(400, "malformed json")),
		post("trailing garbage", `{"name":"a","email":"a@b"} x`, errReply(400, "malformed json")),
		post("two values", `{"name":"a","email":"a@b"}{}`, errReply(400, "malformed json")),
		post("invalid UTF-8", "{\"name\":\"\xff\",\"email\":\"a@b\"}", errReply(400, "malformed json")),
		post("invalid UTF-8 outside strings", "{\"name\":\"a\",\"email\":\"a@b\"}\xff", errReply(400, "malformed json")),
		post("lone high surrogate", `{"name":"\ud800","email":"a@b"}`, errReply(400, "malformed json")),
		post("lone low surrogate", `{"name":"\udc00x","email":"a@b"}`, errReply(400, "malformed json")),
		post("lone surrogate in a key", `{"\ud800":1,"name":"a","email":"a@b"}`, errReply(400, "malformed json")),
		post("byte order mark", "\xef\xbb\xbf{\"name\":\"a\",\"email\":\"a@b\"}", errReply(400, "malformed json")),
		post("single quotes", `{'name':'a','email':'a@b'}`, errReply(400, "malformed json")),
		post("leading zero number", `{"name":"a","email":"a@b","x":01}`, errReply(400, "malformed json")),
		// Step 2: not an object.
		post("array", `[]`, errReply(422, "body must be a JSON object")),
		post("string", `"x"`, errReply(422, "body must be a JSON object")),
		post("number", `1`, errReply(422, "body must be a JSON object")),
		post("null", `null`, errReply(422, "body must be a JSON object")),
		post("true", ` true `, errReply(422, "body must be a JSON object")),
		// Step 3: presence and types, name first.
		post("empty object", `{}`, errReply(422, "missing field: name")),
		post("name null", `{"name":null,"email":"a@b"}`, errReply(422, "missing field: name")),
		post("name number", `{"name":1,"email":"a@b"}`, errReply(422, "name must be a string")),
		post("name object", `{"name":{},"email":"a@b"}`, errReply(422, "name must be a string")),
		post("name checked before email", `{"name":false}`, errReply(422, "name must be a string")),
		post("email missing", `{"name":"a"}`, errReply(422, "missing field: email")),
		post("email null", `{"name":"a","email":null}`, errReply(422, "missing field: email")),
		post("email array", `{"name":"a","email":["a@b"]}`, errReply(422, "email must be a string")),
		post("types before values", `{"name":"","email":5}`, errReply(422, "email must be a string")),
		post("key case matters", `{"Name":"a","email":"a@b"}`, errReply(422, "missing field: name")),
		// Step 4: values.
		post("name empty", `{"name":"","email":"a@b"}`, errReply(422, "name must not be empty")),
		post("name empty before email", `{"name":"","email":"ab"}`, errReply(422, "name must not be empty")),
		post("email without @", `{"name":"a","email":"ab"}`, errReply(422, "email must contain @")),
		// Successes, ids in order.
		post("minimal", `{"name":"Ada","email":"ada@example.com"}`, jsonReply(201, `{"id":1,"name":"Ada","email":"ada@example.com"}`)),
		post("whitespace around", " \r\n{ \"email\" : \"@\" , \"name\" : \" \" }\n ", jsonReply(201, `{"id":2,"name":" ","email":"@"}`)),
		post("extra keys ignored", `{"name":"a","email":"a@b","id":99,"x":[1,{"y":null}],"big":1e400}`, jsonReply(201, `{"id":3,"name":"a","email":"a@b"}`)),
		post("duplicate key, last wins", `{"name":"x","name":"Bob","email":"b@x"}`, jsonReply(201, `{"id":4,"name":"Bob","email":"b@x"}`)),
		post("duplicate key, last null", `{"name":"Bob","name":null,"email":"b@x"}`, errReply(422, "missing field: name")),
		post("duplicate key, last wrong type", `{"email":"b@x","email":1,"name":"a"}`, errReply(422, "email must be a string")),
		post("no HTML escaping", `{"name":"<b>&amp;</b>","email":"a@b"}`, jsonReply(201, `{"id":5,"name":"<b>&amp;</b>","email":"a@b"}`)),
		post("UTF-8 as is", `{"name":"Zoë 😀 \u00e9","email":"ü@b"}`, jsonReply(201, `{"id":6,"name":"Zoë 😀 é","email":"ü@b"}`)),
		post("surrogate pair", `{"name":"\ud83d\ude00","email":"a@b"}`, jsonReply(201, `{"id":7,"name":"😀","email":"a@b"}`)),
		post("line separators raw", `{"name":"a\u2028b\u2029c","email":"a@b"}`, jsonReply(201, "{\"id\":8,\"name\":\"a\u2028b\u2029c\",\"email\":\"a@b\"}")),
		post("escapes", `{"name":"q\"b\\s\/n\nt\tc\u0001\b\f\r\u007f","email":"a@b"}`,
			jsonReply(201, "{\"id\":9,\"name\":\"q\\\"b\\\\s/n\\nt\\tc\\u0001\\b\\f\\r\x7f\",\"email\":\"a@b\"}")),
		post("escaped backslash before u2028 text", `{"name":"\\u2028","email":"a@b"}`, jsonReply(201, `{"id":10,"name":"\\u2028","email":"a@b"}`)),
		{name: "content type not checked", raw: "POST /users HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 26\r\n\r\n" + `{"name":"a","email":"a@b"}`,
			want: jsonReply(201, `{"id":11,"name":"a","email":"a@b"}`)},
		{name: "query ignored", method: "POST", target: "/users?limit=x", body: `{"name":"a","email":"a@b"}`,
			want: jsonReply(201, `{"id":12,"name":"a","email":"a@b"}`)},
		{name: "created users are listed", method: "GET", target: "/users?offset=3&limit=2",
			want: jsonReply(200, `[{"id":4,"name":"Bob","email":"b@x"},{"id":5,"name":"<b>&amp;</b>","email":"a@b"}]`)},
	})
}

func TestListUsers(t *testing.T) {
	addr, a := startServer(t, 0)
	runCases(t, addr, []apiCase{{name: "none yet", method: "GET", target: "/users", want: jsonReply(200, `[]`)}})
	for i := 1; i <= 105; i++ {
		a.users.create(fmt.Sprint("u", i), fmt.Sprint("u", i, "@x"))
	}
	user := func(id int) string { return fmt.Sprintf(`{"id":%d,"name":"u%d","email":"u%d@x"}`, id, id, id) }
	users := func(from, to int) string {
		var parts []string
		for id := from; id <= to; id++ {
			parts = append(parts, user(id))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	list := func(query string, want reply) apiCase {
		return apiCase{name: query, method: "GET", target: "/users" + query, want: want}
	}
	invalidLimit, invalidOffset := errReply(400, "invalid limit"), errReply(400, "invalid offset")
	runCases(t, addr, []apiCase{
		list("", jsonReply(200, users(1, 100))),
		list("?limit=2", jsonReply(200, users(1, 2))),
		list("?limit=2&offset=3", jsonReply(200, users(4, 5))),
		list("?offset=103", jsonReply(200, users(104, 105))),
		list("?offset=105", jsonReply(200, `[]`)),
		list("?limit=0", jsonReply(200, `[]`)),
		list("?limit=1000", jsonReply(200, users(1, 105))),
		list("?offset=0&limit=1", jsonReply(200, users(1, 1))),
		list("?offset=18446744073709551615", jsonReply(200, `[]`)),
		list("?limit=1000&offset=18446744073709551615", jsonReply(200, `[]`)),
		list("?limit=&offset=", jsonReply(200, users(1, 100))),
		list("?limit", jsonReply(200, users(1, 100))),
		list("?limit=1&limit=x", jsonReply(200, users(1, 1))),
		list("?limit=&limit=1", jsonReply(200, users(1, 100))),
		list("?offset=1&offset=-1&limit=1", jsonReply(200, users(2, 2))),
		list("?other=1&&limit=1", jsonReply(200, users(1, 1))),
		list("?limit=%31", jsonReply(200, users(1, 1))),
		list("?%6Cimit=1", jsonReply(200, users(1, 1))),
		list("?LIMIT=1", jsonReply(200, users(1, 100))),
		list("?limit=1001", invalidLimit),
		list("?limit=18446744073709551615", invalidLimit),
		list("?limit=18446744073709551616", invalidLimit),
		list("?limit=-1", invalidLimit),
		list("?limit=+1", invalidLimit),
		list("?limit=%2B1", invalidLimit),
		list("?limit=01", invalidLimit),
		list("?limit=1a", invalidLimit),
		list("?limit=%zz", invalidLimit),
		list("?limit=1;offset=1", invalidLimit),
		list("?limit=x&limit=1", invalidLimit),
		list("?limit=x&offset=y", invalidLimit),
		list("?offset=y&limit=x", invalidLimit),
		list("?offset=x", invalidOffset),
		list("?offset=01", invalidOffset),
		list("?offset=18446744073709551616", invalidOffset),
		list("?limit=5&offset=-0", invalidOffset),
	})
}

// TestReadStates runs against both read-state caches: the tuned one must answer alike.
func TestReadStates(t *testing.T) {
	for _, kind := range lruKinds {
		t.Run(string(kind), func(t *testing.T) { testReadStates(t, kind) })
	}
}

func testReadStates(t *testing.T, kind lruKind) {
	addr, _ := startServerWith(t, kind, 200)
	state := func(user, channel, msg, mentions uint64, at int64) string {
		return fmt.Sprintf(`{"user_id":%d,"channel_id":%d,"last_message_id":%d,"mention_count":%d,"updated_at_ms":%d}`,
			user, channel, msg, mentions, at)
	}
	put := func(name, target, body string, want reply) apiCase {
		return apiCase{name: name, method: "PUT", target: target, body: body, want: want}
	}
	notFound := errReply(404, "read state not found")
	u64 := "must be an unsigned 64-bit integer"
	u32 := "must be an unsigned 32-bit integer"
	runCases(t, addr, []apiCase{
		{name: "prefilled first", method: "GET", target: "/read_states/0/0", want: jsonReply(200, state(0, 0, 0, 0, testStartedMS))},
		{name: "prefilled i=127", method: "GET", target: "/read_states/1/63", want: jsonReply(200, state(1, 63, 127, 0, testStartedMS))},
		{name: "prefilled last", method: "GET", target: "/read_states/3/7", want: jsonReply(200, state(3, 7, 199, 0, testStartedMS))},
		{name: "past the prefill", method: "GET", target: "/read_states/3/8", want: notFound},
		{name: "channel 64", method: "GET", target: "/read_states/0/64", want: notFound},
		{name: "HEAD", method: "HEAD", target: "/read_states/0/1", want: reply{200, ctJSON, "", ""}},
		{name: "invalid user id", method: "GET", target: "/read_states/01/1", want: errReply(400, "invalid id")},
		{name: "invalid channel id", method: "GET", target: "/read_states/1/-1", want: errReply(400, "invalid id")},
		{name: "escaped id", method: "GET", target: "/read_states/1/%31", want: errReply(400, "invalid id")},
		{name: "ids before body", method: "PUT", target: "/read_states/x/1", body: `{`, want: errReply(400, "invalid id")},
		put("create", "/read_states/1000/2", `{"message_id":42}`, jsonReply(200, state(1000, 2, 42, 0, testNowMS))),
		{name: "read back", method: "GET", target: "/read_states/1000/2", want: jsonReply(200, state(1000, 2, 42, 0, testNowMS))},
		put("replace", "/read_states/0/0", `{"message_id":7,"mentions":3}`, jsonReply(200, state(0, 0, 7, 3, testNowMS))),
		put("replace resets mentions", "/read_states/0/0", `{"message_id":8}`, jsonReply(200, state(0, 0, 8, 0, testNowMS))),
		put("mentions null", "/read_states/0/0", `{"message_id":9,"mentions":null}`, jsonReply(200, state(0, 0, 9, 0, testNowMS))),
		put("maxima", "/read_states/18446744073709551615/18446744073709551615", `{"message_id":18446744073709551615,"mentions":4294967295}`,
			jsonReply(200, state(1<<64-1, 1<<64-1, 1<<64-1, 1<<32-1, testNowMS))),
		put("zero", "/read_states/0/1", `{"message_id":0,"mentions":0}`, jsonReply(200, state(0, 1, 0, 0, testNowMS))),
		put("duplicate key, last wins", "/read_states/0/2", `{"message_id":1,"message_id":2}`, jsonReply(200, state(0, 2, 2, 0, testNowMS))),
		put("extra keys ignored", "/read_states/0/3", `{"x":"y","message_id":5}`, jsonReply(200, state(0, 3, 5, 0, testNowMS))),
		put("empty body", "/read_states/0/0", ``, errReply(400, "malformed json")),
		put("trailing garbage", "/read_states/0/0", `{"message_id":1}]`, errReply(400, "malformed json")),
		put("not an object", "/read_states/0/0", `[{"message_id":1}]`, errReply(422, "body must be a JSON object")),
		put("missing", "/read_states/0/0", `{"mentions":1}`, errReply(422, "missing field: message_id")),
		put("null", "/read_states/0/0", `{"message_id":null}`, errReply(422, "missing field: message_id")),
		put("fraction", "/read_states/0/0", `{"message_id":1.0}`, errReply(422, "message_id "+u64)),
		put("exponent", "/read_states/0/0", `{"message_id":1e3}`, errReply(422, "message_id "+u64)),
		put("capital exponent", "/read_states/0/0", `{"message_id":1E3}`, errReply(422, "message_id "+u64)),
		put("negative", "/read_states/0/0", `{"message_id":-1}`, errReply(422, "message_id "+u64)),
		put("minus zero", "/read_states/0/0", `{"message_id":-0}`, errReply(422, "message_id "+u64)),
		put("too large", "/read_states/0/0", `{"message_id":18446744073709551616}`, errReply(422, "message_id "+u64)),
		put("string", "/read_states/0/0", `{"message_id":"5"}`, errReply(422, "message_id "+u64)),
		put("bool", "/read_states/0/0", `{"message_id":true}`, errReply(422, "message_id "+u64)),
		put("message_id before mentions", "/read_states/0/0", `{"message_id":-1,"mentions":-1}`, errReply(422, "message_id "+u64)),
		put("mentions too large", "/read_states/0/0", `{"message_id":1,"mentions":4294967296}`, errReply(422, "mentions "+u32)),
		put("mentions negative", "/read_states/0/0", `{"message_id":1,"mentions":-1}`, errReply(422, "mentions "+u32)),
		put("mentions fraction", "/read_states/0/0", `{"message_id":1,"mentions":1.5}`, errReply(422, "mentions "+u32)),
		put("mentions string", "/read_states/0/0", `{"message_id":1,"mentions":"1"}`, errReply(422, "mentions "+u32)),
		{name: "failed PUTs change nothing", method: "GET", target: "/read_states/0/0", want: jsonReply(200, state(0, 0, 9, 0, testNowMS))},
	})
}

// TestReadStateEvictionOverHTTP fills the cache to capacity, so that each new entry evicts
// the least recently used one, and a GET counts as a use.
func TestReadStateEvictionOverHTTP(t *testing.T) {
	for _, kind := range lruKinds {
		t.Run(string(kind), func(t *testing.T) { testReadStateEviction(t, kind) })
	}
}

func testReadStateEviction(t *testing.T, kind lruKind) {
	addr, a := startServerWith(t, kind, minReadStateCapacity) // full: 10000 entries, capacity 10000
	if got := a.readStates.len(); got != minReadStateCapacity {
		t.Fatalf("prefilled %d entries, want %d", got, minReadStateCapacity)
	}
	notFound := errReply(404, "read state not found")
	first := `{"user_id":0,"channel_id":0,"last_message_id":0,"mention_count":0,"updated_at_ms":1764000000000}`
	runCases(t, addr, []apiCase{
		{name: "touch the oldest", method: "GET", target: "/read_states/0/0", want: jsonReply(200, first)},
		{name: "insert", method: "PUT", target: "/read_states/999999/0", body: `{"message_id":1}`,
			want: jsonReply(200, `{"user_id":999999,"channel_id":0,"last_message_id":1,"mention_count":0,"updated_at_ms":1764000000123}`)},
		{name: "second oldest evicted", method: "GET", target: "/read_states/0/1", want: notFound},
		{name: "touched one kept", method: "GET", target: "/read_states/0/0", want: jsonReply(200, first)},
		{name: "replace does not evict", method: "PUT", target: "/read_states/0/2", body: `{"message_id":1}`,
			want: jsonReply(200, `{"user_id":0,"channel_id":2,"last_message_id":1,"mention_count":0,"updated_at_ms":1764000000123}`)},
		{name: "insert again", method: "PUT", target: "/read_states/999999/1", body: `{"message_id":1}`,
			want: jsonReply(200, `{"user_id":999999,"channel_id":1,"last_message_id":1,"mention_count":0,"updated_at_ms":1764000000123}`)},
		{name: "next oldest evicted", method: "GET", target: "/read_states/0/3", want: notFound},
		{name: "replaced one kept", method: "GET", target: "/read_states/0/2",
			want: jsonReply(200, `{"user_id":0,"channel_id":2,"last_message_id":1,"mention_count":0,"updated_at_ms":1764000000123}`)},
	})
	if got := a.readStates.len(); got != minReadStateCapacity {
		t.Errorf("cache holds %d entries, want %d", got, minReadStateCapacity)
	}
}

func TestBodyLimit(t *testing.T) {
	addr, _ := startServer(t, 0)
	valid := `{"name":"a","email":"a@b"}`
	padTo := func(n int) string { return valid + strings.Repeat(" ", n-len(valid)) }
	chunked := func(body string) string {
		return "POST /users HTTP/1.1\r\nHost: t\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n" +
			fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", len(body), body)
	}
	tooLarge := errReply(413, "body too large")
	runCases(t, addr, []apiCase{
		{name: "exactly 64 KiB", method: "POST", target: "/users", body: padTo(65536), want: jsonReply(201, `{"id":1,"name":"a","email":"a@b"}`)},
		{name: "64 KiB + 1", method: "POST", target: "/users", body: padTo(65537), want: tooLarge},
		{name: "declared too large, not sent", raw: "POST /users HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n", want: tooLarge},
		{name: "chunked small", raw: chunked(valid), want: jsonReply(201, `{"id":2,"name":"a","email":"a@b"}`)},
		{name: "chunked exactly 64 KiB", raw: chunked(padTo(65536)), want: jsonReply(201, `{"id":3,"name":"a","email":"a@b"}`)},
		{name: "chunked too large", raw: chunked(padTo(65537)), want: tooLarge},
		{name: "chunked in pieces, too large", raw: "POST /users HTTP/1.1\r\nHost: t\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n" +
			strings.Repeat(fmt.Sprintf("%x\r\n%s\r\n", 40000, strings.Repeat(" ", 40000)), 2) + "0\r\n\r\n", want: tooLarge},
		{name: "PUT too large", method: "PUT", target: "/read_states/1/1", body: `{"message_id":1}` + strings.Repeat(" ", 65536), want: tooLarge},
		{name: "PUT invalid id before size", method: "PUT", target: "/read_states/a/1", body: strings.Repeat(" ", 65537), want: errReply(400, "invalid id")},
	})
}

// TestHeadMatchesGet checks that HEAD answers with GET's status and headers and no body,
// wherever GET is served.
func TestHeadMatchesGet(t *testing.T) {
	addr, a := startServer(t, 10)
	a.users.create("Ada", "ada@example.com")
	for _, target := range []string{
		"/plaintext", "/json", "/healthz", "/users", "/users?limit=x", "/users/1", "/users/2", "/users/x",
		"/read_states/0/1", "/read_states/9/9", "/read_states/0/x", "/nope",
	} {
		get, getHeader := send(t, addr, "GET", "GET "+target+" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
		head, headHeader := send(t, addr, "HEAD", "HEAD "+target+" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
		get.body = ""
		if head != get {
			t.Errorf("HEAD %s = %+v, GET gives %+v", target, head, get)
		}
		if hl, gl := headHeader.Get("Content-Length"), getHeader.Get("Content-Length"); hl != gl {
			t.Errorf("HEAD %s: Content-Length %q, GET gives %q", target, hl, gl)
		}
	}
}
