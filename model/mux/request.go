package mux

// Requests as the mux sees them. ParseRequest builds one the way
// net/http/httptest.NewRequest does (via http.ReadRequest of
// "METHOD TARGET HTTP/1.0"), without importing net/http.

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Request holds the parts of an *http.Request that routing reads.
type Request struct {
	Method     string
	Host       string   // r.Host: the URL's host, or "example.com"
	URL        *url.URL // r.URL: URL.Host is set only for absolute targets and CONNECT authorities
	RequestURI string   // the target as received ("*" gets 400)
}

// ParseRequest returns the request httptest.NewRequest(method, target,
// nil) would build: method "" means GET; target is a path ("/a?q"), an
// absolute URL whose host is used, "*", or for CONNECT an authority
// ("host:443"). It returns an error where NewRequest would panic.
func ParseRequest(method, target string) (Request, error) {
	if method == "" {
		method = "GET"
	}
	if !isToken(method) {
		return Request{}, fmt.Errorf("invalid method %q", method)
	}
	if strings.ContainsAny(target, " \r\n") {
		return Request{}, fmt.Errorf("malformed request target %q", target)
	}
	raw := target
	authority := method == "CONNECT" && !strings.HasPrefix(raw, "/")
	if authority {
		raw = "http://" + raw
	}
	u, err := url.ParseRequestURI(raw)
	if err != nil {
		return Request{}, err
	}
	if u == nil {
		return Request{}, errors.New("empty target")
	}
	if authority {
		u.Scheme = ""
	}
	r := Request{Method: method, Host: u.Host, URL: u, RequestURI: target}
	if r.Host == "" {
		r.Host = "example.com"
	}
	return r, nil
}
