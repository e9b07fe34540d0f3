// Test target for ssrf.yaml.
package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
)

var allowedHosts = map[string]bool{"images.example.com": true}

const apiBaseURL = "https://api.example.com/v1/"

func previewHandler(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	// ruleid: bastion.go.ssrf
	resp, err := http.Get(target)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	io.Copy(w, resp.Body)
}

func statusHandler(w http.ResponseWriter, r *http.Request) {
	// ruleid: bastion.go.ssrf
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, "http://"+r.FormValue("host")+"/status", nil)
	resp, _ := http.DefaultClient.Do(req)
	fmt.Fprintln(w, resp.Status)
}

func userHandler(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	// ok: bastion.go.ssrf
	profile, _ := http.Get(fmt.Sprintf("https://api.example.com/users/%s", url.PathEscape(id)))
	// ok: bastion.go.ssrf
	detail, _ := http.Get(apiBaseURL + "users/" + id)
	// ok: bastion.go.ssrf
	health, _ := http.Get("https://status.example.com/health")
	fmt.Fprintln(w, profile.Status, detail.Status, health.Status)
}

func imageHandler(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("url")
	parsed, err := url.Parse(raw)
	if err != nil || !allowedHosts[parsed.Hostname()] {
		http.Error(w, "host not allowed", http.StatusBadRequest)
		return
	}
	// ok: bastion.go.ssrf
	resp, _ := http.Get(parsed.String())
	io.Copy(w, resp.Body)
}
