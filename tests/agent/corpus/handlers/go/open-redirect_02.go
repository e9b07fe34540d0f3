package main

import (
	"log"
	"net/http"
	"net/url"
)

var allowedHosts = map[string]bool{"docs.example.com": true, "status.example.com": true}

func outbound(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("to")
	parsed, err := url.Parse(target)
	if err != nil || parsed.Scheme != "https" || !allowedHosts[parsed.Hostname()] {
		http.Error(w, "destination not allowed", http.StatusBadRequest)
		return
	}
	http.Redirect(w, r, parsed.String(), http.StatusFound)
}

func main() {
	http.HandleFunc("/out", outbound)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
