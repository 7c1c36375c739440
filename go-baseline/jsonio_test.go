package main

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestDecodeObject(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		want    map[string]any
		wantErr *apiError
	}{
		{"object", `{"a":"b"}`, map[string]any{"a": "b"}, nil},
		{"duplicate keys, last wins", `{"a":1,"a":2}`, map[string]any{"a": json.Number("2")}, nil},
		{"null kept as nil", `{"a":null}`, map[string]any{"a": nil}, nil},
		{"u64 max keeps its digits", `{"a":18446744073709551615}`, map[string]any{"a": json.Number("18446744073709551615")}, nil},
		{"number literals as written", `{"a":1.0,"b":1e3,"c":-1,"d":-0,"e":1e400}`,
			map[string]any{"a": json.Number("1.0"), "b": json.Number("1e3"), "c": json.Number("-1"), "d": json.Number("-0"), "e": json.Number("1e400")}, nil},
		{"surrounding whitespace", " \t\r\n{}\n", map[string]any{}, nil},
		{"deep nesting is valid JSON", `{"a":` + nested(500) + `}`, nil, nil},
		{"empty", ``, nil, errMalformedJSON},
		{"whitespace", `  `, nil, errMalformedJSON},
		{"trailing garbage", `{} x`, nil, errMalformedJSON},
		{"trailing value", `{}{}`, nil, errMalformedJSON},
		{"trailing comma", `{"a":1,}`, nil, errMalformedJSON},
		{"invalid UTF-8 in string", "{\"a\":\"\xc3\x28\"}", nil, errMalformedJSON},
		{"overlong UTF-8", "{\"a\":\"\xc0\xaf\"}", nil, errMalformedJSON},
		{"encoded surrogate (CESU-8)", "{\"a\":\"\xed\xa0\x80\"}", nil, errMalformedJSON},
		{"lone high surrogate escape", `{"a":"\ud800"}`, nil, errMalformedJSON},
		{"high surrogate then text", `{"a":"\ud800abcdef"}`, nil, errMalformedJSON},
		{"two high surrogates", `{"a":"\ud800\ud800"}`, nil, errMalformedJSON},
		{"high surrogate then a non-surrogate escape", `{"a":"\ud800\u0041"}`, nil, errMalformedJSON},
		{"lone low surrogate escape", `{"a":"\udfff"}`, nil, errMalformedJSON},
		{"surrogate pair", `{"a":"\uD83D\uDE00"}`, map[string]any{"a": "😀"}, nil},
		{"escaped backslash then u-text", `{"a":"\\ud800"}`, map[string]any{"a": `\ud800`}, nil},
		{"array", `[]`, nil, errNotObject},
		{"string", `"{}"`, nil, errNotObject},
		{"null", `null`, nil, errNotObject},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := decodeObject([]byte(c.body))
			if err != c.wantErr {
				t.Fatalf("error %v, want %v", err, c.wantErr)
			}
			if c.want != nil && !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %#v, want %#v", got, c.want)
			}
		})
	}
}

func nested(depth int) string {
	s := "1"
	for range depth {
		s = "[" + s + "]"
	}
	return s
}

func TestAsUint(t *testing.T) {
	cases := []struct {
		v       any
		bitSize int
		want    uint64
		ok      bool
	}{
		{json.Number("0"), 64, 0, true},
		{json.Number("18446744073709551615"), 64, 18446744073709551615, true},
		{json.Number("18446744073709551616"), 64, 0, false},
		{json.Number("4294967295"), 32, 4294967295, true},
		{json.Number("4294967296"), 32, 0, false},
		{json.Number("1.0"), 64, 0, false},
		{json.Number("1e3"), 64, 0, false},
		{json.Number("-1"), 64, 0, false},
		{json.Number("-0"), 64, 0, false},
		{"1", 64, 0, false},
		{true, 64, 0, false},
		{map[string]any{}, 64, 0, false},
	}
	for _, c := range cases {
		got, ok := asUint(c.v, c.bitSize)
		if got != c.want || ok != c.ok {
			t.Errorf("asUint(%#v, %d) = %d, %v; want %d, %v", c.v, c.bitSize, got, ok, c.want, c.ok)
		}
	}
}

func TestMarshal(t *testing.T) {
	cases := []struct {
		name string
		v    any
		want string
	}{
		{"compact, struct order, no newline", User{ID: 1, Name: "Ada", Email: "ada@example.com"}, `{"id":1,"name":"Ada","email":"ada@example.com"}`},
		{"no HTML escaping", errorBody{"<a href='x'>&</a>"}, `{"error":"<a href='x'>&</a>"}`},
		{"UTF-8 as is", errorBody{"Zoë 😀"}, `{"error":"Zoë 😀"}`},
		{"line separators as is", errorBody{"a\u2028b\u2029c"}, "{\"error\":\"a\u2028b\u2029c\"}"},
		{"escaped backslash before u2028 text", errorBody{`\u2028`}, `{"error":"\\u2028"}`},
		{"backslash, then a real separator", errorBody{"\\\u2028"}, "{\"error\":\"\\\\\u2028\"}"},
		{"control characters as serde_json writes them", errorBody{"\x00\x01\b\f\n\r\t\x1f\x7f\"\\/"},
			`{"error":"\u0000\u0001\b\f\n\r\t\u001f` + "\x7f" + `\"\\/"}`},
		{"empty list", []User{}, `[]`},
		{"u64 max", ReadState{UserID: 1<<64 - 1}, `{"user_id":18446744073709551615,"channel_id":0,"last_message_id":0,"mention_count":0,"updated_at_ms":0}`},
	}
	for _, c := range cases {
		got, err := marshal(c.v)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if string(got) != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}
