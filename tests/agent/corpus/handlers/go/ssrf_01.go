package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
)

func previewFeed(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	feedURL := r.FormValue("feed")
	resp, err := http.Get(feedURL)
	if err != nil {
		http.Error(w, "feed unavailable", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]int{"status": resp.StatusCode, "bytes": len(body)})
}

func main() {
	http.HandleFunc("/feeds/preview", previewFeed)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
