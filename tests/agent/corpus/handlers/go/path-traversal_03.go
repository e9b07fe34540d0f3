package main

import (
	"log"
	"net/http"
	"os"

	"github.com/gorilla/mux"
)

type logStore struct {
	root string
}

func (s logStore) location(name string) string {
	return s.root + "/" + name + ".log"
}

func (s logStore) show(w http.ResponseWriter, r *http.Request) {
	logName := mux.Vars(r)["log"]
	location := s.location(logName)
	content, err := os.ReadFile(location)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(content)
}

func main() {
	store := logStore{root: "/var/log/app"}
	router := mux.NewRouter()
	router.HandleFunc("/logs/{log}", store.show).Methods(http.MethodGet)
	log.Fatal(http.ListenAndServe(":8080", router))
}
