package main

import (
	"log"
	"net/http"
	"text/template"

	"github.com/gorilla/mux"
)

var tmpl = template.Must(template.New("wiki").Parse(
	`<html><head><title>{{.Title}}</title></head><body><h1>{{.Title}}</h1></body></html>`))

type page struct {
	Title string
}

func wikiPage(w http.ResponseWriter, r *http.Request) {
	title := mux.Vars(r)["title"]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := tmpl.Execute(w, page{Title: title}); err != nil {
		log.Printf("render wiki page: %v", err)
	}
}

func main() {
	router := mux.NewRouter()
	router.HandleFunc("/wiki/{title}", wikiPage).Methods(http.MethodGet)
	log.Fatal(http.ListenAndServe(":8080", router))
}
