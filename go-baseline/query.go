package main

import "strings"

// firstQueryValue returns the value of the first name=value pair of rawQuery whose name is
// name, or "" if there is none (the contract treats an empty value as absent). Names and values are decoded as
// application/x-www-form-urlencoded per the WHATWG URL Standard (§5.1), which is also what
// the Rust side's form_urlencoded crate implements.
//
// url.ParseQuery is not used because it departs from that standard: it drops a whole pair
// that has a ';' or a bad percent-escape, where the standard keeps the text as it is.
// "?limit=5;x" would then read as no limit (the default) instead of an invalid one.
func firstQueryValue(rawQuery, name string) string {
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		if pair == "" {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		if formDecode(key) == name {
			return formDecode(value)
		}
	}
	return ""
}

// formDecode turns '+' into a space and decodes %XX escapes; a '%' that does not start a
// valid escape stays as it is. The standard's last step, decoding the bytes as UTF-8 with
// replacement characters, is left out: the result is only compared with ASCII names and
// checked for ASCII digits, which that step cannot change.
func formDecode(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	default:
		return c - '0'
	}
}
