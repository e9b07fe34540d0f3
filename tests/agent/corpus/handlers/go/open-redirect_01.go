package main

import (
	"log"
	"net/http"
)

func afterLogin(next string) string {
	if next == "" {
		return "/dashboard"
	}
	return next
}

func loginComplete(w http.ResponseWriter, r *http.Request) {
	next := r.URL.Query().Get("next")
	destination := afterLogin(next)
	http.Redirect(w, r, destination, http.StatusFound)
}

func dashboard(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("dashboard"))
}

func main() {
	http.HandleFunc("/login/complete", loginComplete)
	http.HandleFunc("/dashboard", dashboard)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
