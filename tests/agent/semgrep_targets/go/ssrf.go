// Test target for ssrf.yaml.
package main

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
)

var allowedHosts = []string{"https://api.example.com/status"}
var client = &http.Client{Timeout: 5 * time.Second}

func previewHandler(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	// ruleid: bastion.go.ssrf
	response, _ := http.Get(target)
	defer response.Body.Close()
	// ruleid: bastion.go.ssrf
	request, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, target, nil)
	// ruleid: bastion.go.ssrf
	other, _ := client.Get("https://" + r.FormValue("host") + "/api")
	defer other.Body.Close()
	// ok: bastion.go.ssrf
	fixed, _ := http.Get("https://api.example.com/status")
	defer fixed.Body.Close()
	io.Copy(w, response.Body)
	_ = request
}

func checkedHandler(w http.ResponseWriter, r *http.Request) {
	target := r.FormValue("url")
	if !slices.Contains(allowedHosts, target) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	// ok: bastion.go.ssrf
	response, _ := http.Get(target)
	defer response.Body.Close()
}

func hostCheckedHandler(w http.ResponseWriter, r *http.Request) {
	parsed, err := url.Parse(r.FormValue("url"))
	if err != nil {
		return
	}
	if parsed.Hostname() != "api.example.com" {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	// ok: bastion.go.ssrf
	response, _ := http.Get(parsed.String())
	defer response.Body.Close()
	unchecked, _ := url.Parse(r.FormValue("other"))
	if unchecked.Scheme != "https" {
		return
	}
	// ruleid: bastion.go.ssrf
	other, _ := http.Get(unchecked.String())
	defer other.Body.Close()
}

func echoFetch(c echo.Context) error {
	// ruleid: bastion.go.ssrf
	response, err := http.Post(c.FormValue("callback"), "application/json", nil)
	if err != nil {
		return err
	}
	return response.Body.Close()
}

func webhook(url string) {
	// ok: bastion.go.ssrf
	http.Get(url)
}
