package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
)

type bannerConfig struct {
	message string
}

func (b bannerConfig) handler(w http.ResponseWriter, r *http.Request) {
	visits := len(r.URL.Query().Get("ref"))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<html><body><div class=\"banner\">%s</div><!-- %d --></body></html>", b.message, visits)
}

func main() {
	banner := bannerConfig{message: os.Getenv("MAINTENANCE_BANNER")}
	http.HandleFunc("/banner", banner.handler)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
