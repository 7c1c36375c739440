package main

import "testing"

func TestParseID(t *testing.T) {
	cases := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true},
		{"1", 1, true},
		{"10", 10, true},
		{"18446744073709551615", 18446744073709551615, true},
		{"18446744073709551616", 0, false},
		{"99999999999999999999", 0, false},
		{"", 0, false},
		{"00", 0, false},
		{"01", 0, false},
		{"+1", 0, false},
		{"-1", 0, false},
		{"-0", 0, false},
		{"1a", 0, false},
		{"a1", 0, false},
		{" 1", 0, false},
		{"1 ", 0, false},
		{"1_000", 0, false},
		{"0x10", 0, false},
		{"1e3", 0, false},
		{"1.0", 0, false},
		{"%31", 0, false},
		{"١", 0, false}, // ARABIC-INDIC DIGIT ONE: digits are ASCII only
	}
	for _, c := range cases {
		got, ok := parseID(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("parseID(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestFirstQueryValue(t *testing.T) {
	cases := []struct {
		query, name, want string
	}{
		{"", "limit", ""},
		{"limit=5", "limit", "5"},
		{"offset=1&limit=5", "limit", "5"},
		{"limit=5&limit=6", "limit", "5"},
		{"limit=&limit=6", "limit", ""},
		{"limit&limit=6", "limit", ""},
		{"&&limit=5&", "limit", "5"},
		{"limit=5;offset=1", "limit", "5;offset=1"},
		{"limit=5;offset=1", "offset", ""},
		{"limit=a=b", "limit", "a=b"},
		{"limit=%31%30", "limit", "10"},
		{"%6c%69mit=1", "limit", "1"},
		{"limit=+1", "limit", " 1"},
		{"limit=%2B1", "limit", "+1"},
		{"limit=%zz", "limit", "%zz"},
		{"limit=%3", "limit", "%3"},
		{"limit=1%", "limit", "1%"},
		{"Limit=1", "limit", ""},
		{"limits=1", "limit", ""},
	}
	for _, c := range cases {
		if got := firstQueryValue(c.query, c.name); got != c.want {
			t.Errorf("firstQueryValue(%q, %q) = %q, want %q", c.query, c.name, got, c.want)
		}
	}
}

func TestIsCanonicalPath(t *testing.T) {
	cases := map[string]bool{
		"/plaintext": true, "/users/1": true, "/read_states/1/2": true, "/a/.../b": true,
		"/%2e": true, "/a/.b": true,
		"": false, "/": false, "*": false, "users": false, "/users/": false, "//users": false,
		"/a//b": false, "/./a": false, "/a/.": false, "/a/../b": false, "/..": false,
	}
	for path, want := range cases {
		if got := isCanonicalPath(path); got != want {
			t.Errorf("isCanonicalPath(%q) = %v, want %v", path, got, want)
		}
	}
}
