package main

import (
	"context"
	"log"
	"net/http"
	"os/exec"
	"strings"
	"time"
)

func pingTarget(host string) string {
	return strings.TrimSpace(host)
}

func pingHandler(w http.ResponseWriter, r *http.Request) {
	host := r.URL.Query().Get("host")
	target := pingTarget(host)
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "sh", "-c", "ping -c 2 "+target).Output()
	if err != nil {
		http.Error(w, "ping failed", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write(out)
}

func main() {
	http.HandleFunc("/diagnostics/ping", pingHandler)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
