package main

import (
	"net/http"
	"net/url"
	"strings"
)

// routes returns the handler for the whole API of docs/API.md.
func (a *app) routes() http.Handler {
	rt := newRouter()
	rt.handle(http.MethodGet, "/plaintext", plaintext)
	rt.handle(http.MethodGet, "/json", helloJSON)
	rt.handle(http.MethodGet, "/healthz", healthz)
	rt.handle(http.MethodGet, "/debug/stats", a.stats)
	rt.handle(http.MethodGet, "/users", a.listUsers)
	rt.handle(http.MethodPost, "/users", a.createUser)
	rt.handle(http.MethodGet, "/users/{id}", a.getUser)
	rt.handle(http.MethodGet, "/read_states/{user_id}/{channel_id}", a.getReadState)
	rt.handle(http.MethodPut, "/read_states/{user_id}/{channel_id}", a.putReadState)
	return exactPaths(rt.handler())
}

// router is a ServeMux that answers unknown paths and methods with the contract's JSON
// errors instead of net/http's text/plain ones.
//
// Every path gets, besides its "METHOD /path" patterns, a method-less "/path" pattern that
// answers 405 with the path's Allow header: the mux prefers a pattern with a method, so the
// method-less one receives exactly the other methods. A final "/" pattern, the least
// specific of all, receives every path no other pattern matches and answers 404. The mux's
// own 404 and 405 handlers are thus never reached, and the Allow header is built from the
// same calls that register the routes, so the two cannot drift apart.
type router struct {
	mux     *http.ServeMux
	paths   []string            // in registration order
	methods map[string][]string // path -> its methods, for the Allow header
}

func newRouter() *router {
	return &router{mux: http.NewServeMux(), methods: make(map[string][]string)}
}

// handle registers h for method and path. A GET route serves HEAD too (the mux does that,
// and the server leaves the body out); the Allow header says so.
func (rt *router) handle(method, path string, h http.HandlerFunc) {
	rt.mux.HandleFunc(method+" "+path, h)
	if _, seen := rt.methods[path]; !seen {
		rt.paths = append(rt.paths, path)
	}
	rt.methods[path] = append(rt.methods[path], method)
	if method == http.MethodGet {
		rt.methods[path] = append(rt.methods[path], http.MethodHead)
	}
}

// handler registers the 405 and 404 fallbacks and returns the finished mux.
func (rt *router) handler() http.Handler {
	for _, path := range rt.paths {
		rt.mux.Handle(path, methodNotAllowed(strings.Join(rt.methods[path], ", ")))
	}
	rt.mux.Handle("/", http.HandlerFunc(notFound))
	return rt.mux
}

func notFound(w http.ResponseWriter, _ *http.Request) {
	writeError(w, errNotFound)
}

func methodNotAllowed(allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, errMethodNotAllowed)
	})
}

// exactPaths makes routing match the path exactly as the client sent it (docs/API.md:
// "Paths are matched exactly").
//
// ServeMux differs in two ways. It redirects a path with empty or dot segments to its
// cleaned form, where the contract wants a 404; so such paths are answered here, before the
// mux. And it decodes percent-escapes segment by segment, so "/plain%74ext" would match
// "/plaintext" and "/users/%31" would give the id "1", where the contract wants a 404 and an
// invalid id; so a request whose path was escaped goes to the mux with its raw path as the
// decoded one, which the mux then sees literally, "%" and all. (The request is copied, not
// modified, as http.AllowQuerySemicolons does it.)
func exactPaths(mux http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw := rawPath(r)
		if !isCanonicalPath(raw) {
			notFound(w, r)
			return
		}
		if raw != r.URL.Path {
			r2 := new(http.Request)
			*r2 = *r
			r2.URL = new(url.URL)
			*r2.URL = *r.URL
			r2.URL.Path, r2.URL.RawPath = raw, ""
			r = r2
		}
		mux.ServeHTTP(w, r)
	})
}

// rawPath returns the request's path as it was on the wire.
func rawPath(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") { // origin form, "GET /path?query": the usual case
		path, _, _ := strings.Cut(r.RequestURI, "?")
		return path
	}
	// Absolute form ("GET http://host/path"), "*" or an authority (CONNECT): the parsed
	// URL's path, escaped as the client escaped it where that is known.
	return r.URL.EscapedPath()
}

// isCanonicalPath reports whether p starts with "/" and has no empty, "." or ".." segment,
// which also rules out a trailing slash and "/" itself (no route is at "/").
func isCanonicalPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	for rest := p[1:]; ; {
		segment, tail, more := strings.Cut(rest, "/")
		if segment == "" || segment == "." || segment == ".." {
			return false
		}
		if !more {
			return true
		}
		rest = tail
	}
}
