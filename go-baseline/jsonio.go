package main

// Reading and writing JSON exactly as docs/API.md specifies, which is also what the Rust
// twin gets from serde_json: compact output, keys in struct order, UTF-8 as is.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"
)

// maxBodyBytes is the largest request body accepted (docs/API.md: 64 KiB).
const maxBodyBytes = 64 << 10

// writeJSON sends v as compact JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := marshal(v)
	if err != nil {
		// Not reached: only the server's own types are encoded, and they always encode.
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	// Known up front, so large lists go out with a length rather than chunked.
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

// marshal encodes v without HTML escaping and without the Encoder's trailing newline.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return unescapeLineSeparators(bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})), nil
}

// unescapeLineSeparators turns the escapes \u2028 and \u2029 back into UTF-8.
//
// encoding/json escapes U+2028 and U+2029 unconditionally, even with SetEscapeHTML(false),
// for JSONP's sake (see appendString in encoding/json/encode.go). The contract says
// "UTF-8 as is", and serde_json writes them raw. In the encoder's output a backslash only
// ever starts an escape inside a string, so a scan that steps over whole escapes cannot
// mistake an escaped backslash followed by "u2028" for the escape.
func unescapeLineSeparators(b []byte) []byte {
	if !bytes.Contains(b, []byte(`\u202`)) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' {
			out = append(out, b[i])
			continue
		}
		switch rest := b[i:]; {
		case bytes.HasPrefix(rest, []byte(`\u2028`)):
			out = append(out, "\u2028"...)
			i += 5
			continue
		case bytes.HasPrefix(rest, []byte(`\u2029`)):
			out = append(out, "\u2029"...)
			i += 5
			continue
		}
		// Any other escape: keep the backslash and the escaped byte (a \uXXXX's hex digits
		// follow as ordinary bytes).
		out = append(out, b[i], b[i+1])
		i++
	}
	return out
}

// readBody reads the request body, at most maxBodyBytes of it, whether its length is
// declared or it is streamed (chunked).
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, *apiError) {
	if r.ContentLength > maxBodyBytes {
		return nil, errBodyTooLarge // no need to wait for a body we would refuse anyway
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, errBodyTooLarge
	case err != nil:
		// The body could not be read as sent (e.g. broken chunked framing): it is not a
		// JSON document either.
		return nil, errMalformedJSON
	}
	return body, nil
}

// decodeObject applies steps 1 and 2 of the contract's body rules (docs/API.md,
// "POST /users"): body must be exactly one valid JSON value in valid UTF-8, and an object.
//
// Numbers are kept as json.Number so that u64 values keep all their digits; for a
// duplicated key the last one wins, as with any map.
func decodeObject(body []byte) (map[string]any, *apiError) {
	// json.Valid rejects empty input and trailing data; encoding/json would silently turn
	// invalid UTF-8 and lone surrogate escapes into U+FFFD, so they are checked first.
	if !utf8.Valid(body) || !json.Valid(body) || hasLoneSurrogate(body) {
		return nil, errMalformedJSON
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errMalformedJSON // not reached: the body is valid JSON
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errNotObject
	}
	return obj, nil
}

// hasLoneSurrogate reports whether a valid JSON text has a \uD800-\uDFFF escape that is
// not part of a high-low surrogate pair. Such a string has no UTF-8 form; RFC 8259 §8.2
// leaves its meaning open and serde_json rejects it, so it counts as malformed here too.
func hasLoneSurrogate(body []byte) bool {
	if !bytes.Contains(body, []byte(`\u`)) {
		return false
	}
	inString := false
	for i := 0; i < len(body); i++ {
		switch {
		case body[i] == '"':
			inString = !inString
		case inString && body[i] == '\\':
			if body[i+1] != 'u' {
				i++ // a one-character escape such as \" or \\
				continue
			}
			r := hex4(body[i+2 : i+6])
			switch {
			case r >= 0xDC00 && r <= 0xDFFF:
				return true // a low surrogate with no high one before it
			case r >= 0xD800 && r <= 0xDBFF:
				if i+12 > len(body) || body[i+6] != '\\' || body[i+7] != 'u' {
					return true
				}
				if low := hex4(body[i+8 : i+12]); low < 0xDC00 || low > 0xDFFF {
					return true
				}
				i += 11
			default:
				i += 5
			}
		}
	}
	return false
}

// hex4 decodes the four hex digits of a \uXXXX escape from valid JSON.
func hex4(b []byte) rune {
	n, _ := strconv.ParseUint(string(b), 16, 16)
	return rune(n)
}

// field returns obj[name]; a JSON null counts as absent (docs/API.md).
func field(obj map[string]any, name string) (any, bool) {
	v, ok := obj[name]
	return v, ok && v != nil
}

// stringField returns the string obj[name], or the contract's 422 for a missing or
// non-string value.
func stringField(obj map[string]any, name string) (string, *apiError) {
	v, ok := field(obj, name)
	if !ok {
		return "", unprocessable("missing field: " + name)
	}
	s, ok := v.(string)
	if !ok {
		return "", unprocessable(name + " must be a string")
	}
	return s, nil
}

// asUint returns v as an unsigned integer of bitSize bits, if v is a JSON integer literal
// in range: no fraction, exponent or sign (strconv rejects all three in base 10).
func asUint(v any, bitSize int) (uint64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	u, err := strconv.ParseUint(n.String(), 10, bitSize)
	if err != nil {
		return 0, false
	}
	return u, true
}
