package main

import (
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
)

const templatesDir = "/srv/templates"

func defaultTemplate(w http.ResponseWriter, r *http.Request) {
	name := r.FormValue("template")
	name = "invoice-default.html"
	f, err := os.Open(filepath.Join(templatesDir, name))
	if err != nil {
		http.Error(w, "template missing", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.Copy(w, f)
}

func main() {
	http.HandleFunc("/templates/default", defaultTemplate)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
