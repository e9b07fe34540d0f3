package main

import (
	"html"
	"log"
	"net/http"

	"github.com/gorilla/mux"
)

func profileBadge(w http.ResponseWriter, r *http.Request) {
	username := mux.Vars(r)["username"]
	page := "<html><body><span class=\"badge\">" + html.EscapeString(username) + "</span></body></html>"
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(page))
}

func health(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusNoContent)
}

func main() {
	router := mux.NewRouter()
	router.HandleFunc("/users/{username}/badge", profileBadge).Methods(http.MethodGet)
	router.HandleFunc("/health", health)
	log.Fatal(http.ListenAndServe(":8080", router))
}
