package main

import (
	"html/template"
	"log"
	"net/http"
)

var greetingPage = template.Must(template.New("greeting").Parse(
	`<html><body><p>Hello, {{.Name}}!</p></body></html>`))

type greeting struct {
	Name string
}

func greet(w http.ResponseWriter, r *http.Request) {
	data := greeting{Name: r.URL.Query().Get("name")}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := greetingPage.Execute(w, data); err != nil {
		log.Printf("render greeting: %v", err)
	}
}

func main() {
	http.HandleFunc("/greet", greet)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
