package main

import (
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
)

const reportsDir = "/srv/reports"

func downloadReport(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("file")
	if name == "" {
		http.Error(w, "missing file", http.StatusBadRequest)
		return
	}
	f, err := os.Open(filepath.Join(reportsDir, name))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = io.Copy(w, f)
}

func main() {
	http.HandleFunc("/reports/download", downloadReport)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
