package main

import (
	"crypto/md5"
	"encoding/hex"
	"log"
	"net/http"
)

var termsDocument = []byte("Terms of service: be kind, pay on time.")

func terms(w http.ResponseWriter, r *http.Request) {
	sum := md5.Sum(termsDocument)
	etag := "\"" + hex.EncodeToString(sum[:]) + "\""
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(termsDocument)
}

func main() {
	http.HandleFunc("/terms", terms)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
