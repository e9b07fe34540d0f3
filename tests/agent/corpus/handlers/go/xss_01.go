package main

import (
	"fmt"
	"log"
	"net/http"
)

func searchPage(w http.ResponseWriter, r *http.Request) {
	term := r.URL.Query().Get("q")
	if term == "" {
		http.Redirect(w, r, "/", http.StatusFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<html><body><h1>Results for %s</h1></body></html>", term)
}

func home(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("search with /search?q=..."))
}

func main() {
	http.HandleFunc("/search", searchPage)
	http.HandleFunc("/", home)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
